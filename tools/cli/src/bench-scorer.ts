// npm run bench:scorer [-- --rate=1000 --seconds=8]
// Real scorer (features from Redis, logistic model bundle from the LKG cache, versioned policy) vs a bare Fastify
// app returning a fixed decision of the same size; load generators run as separate processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { exampleScoringRequest, parseDecision, type ScoringRequest } from '@risk/contract-events';
import { encodeLogisticBundle, tokenizeAtEdge } from '@risk/decision';
import { createTokenizer } from '@risk/util-privacy';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const RATE = arg('rate', 1000);
const SECONDS = arg('seconds', 8);
const ROOT = join(__dirname, '../../..');
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `bench-scorer-${process.pid}`;
const KEYS = 'bench=bench-secret-0123456789abcdef';
const children: ChildProcess[] = [];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

function node(args: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(process.execPath, ['-r', './tools/node/register.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  return c;
}

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

async function loadgen(url: string, bodies: string, mode: 'closed' | 'open', processes: number, opts: { concurrency?: number; rate?: number; seconds: number }) {
  const runs = Array.from({ length: processes }, () => {
    const c = node(['tools/cli/src/lib/bench-loadgen.ts', JSON.stringify({ url, bodies, mode, seconds: opts.seconds, concurrency: opts.concurrency ?? 1, rate: (opts.rate ?? 0) / processes })]);
    let out = '';
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<{ ok: number; errors: number; rps: number; p50: number; p99: number; p999: number; max: number }>((resolve, reject) =>
      c.on('close', (code) => {
        try {
          resolve(JSON.parse(out.trim()));
        } catch {
          reject(new Error(`load generator exited with ${code} and no result`));
        }
      }),
    );
  });
  const res = await Promise.all(runs);
  return { rps: res.reduce((a, r) => a + r.rps, 0), errors: res.reduce((a, r) => a + r.errors, 0), p50: Math.max(...res.map((r) => r.p50)), p99: Math.max(...res.map((r) => r.p99)), p999: Math.max(...res.map((r) => r.p999)), max: Math.max(...res.map((r) => r.max)) };
}

function requests(n: number): ScoringRequest[] {
  const base = exampleScoringRequest();
  return Array.from({ length: n }, (_, i) => {
    const id = String(i).padStart(6, '0');
    return {
      ...base,
      checkoutId: `chk_bench_${id}`,
      shopper: { ...base.shopper, accountId: `acc_bench_${id}`, email: `shopper${id}@example.com` },
      device: { ...base.device, id: `dev_bench_${id}` },
      payment: { ...base.payment, card: { ...(base.payment.card as NonNullable<ScoringRequest['payment']['card']>), token: `tok_psp1_benchcard${id}xxxx` } },
      items: { ...base.items, highRiskCategory: i % 7 === 0 },
    };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scorer-'));
  const redis = new Redis(REDIS_URL);
  try {
    // Online state per entity, keyed as the scorer looks it up.
    const reqs = requests(2000);
    const tokenizer = createTokenizer({ region: 'eu', keys: { bench: 'bench-secret-0123456789abcdef' }, activeKeyId: 'bench' });
    const pipe = redis.pipeline();
    reqs.forEach((r, i) => {
      const e = tokenizeAtEdge(r, tokenizer);
      const t = Date.now();
      pipe.set(`${PREFIX}:eu:card:${e.tokens.card}`, JSON.stringify({ t, v: { card_cnt_1h: i % 5, card_cnt_24h: i % 11, card_amt_24h: (i % 13) * 40, card_distinct_devices_7d: 1 + (i % 3) } }), 'EX', 600);
      pipe.set(`${PREFIX}:eu:account:${e.tokens.account}`, JSON.stringify({ t, v: { account_orders_30d: i % 9, account_chargebacks_180d: i % 50 === 0 ? 1 : 0 } }), 'EX', 600);
      pipe.set(`${PREFIX}:eu:device:${e.tokens.device}`, JSON.stringify({ t, v: { device_accounts_7d: 1 + (i % 4) } }), 'EX', 600);
    });
    await pipe.exec();
    const bodies = join(dir, 'bodies.json');
    writeFileSync(bodies, JSON.stringify(reqs));

    // Model bundle in the LKG cache: the scorer cold-starts from it with no registry configured.
    const { bytes, sha256 } = encodeLogisticBundle({
      format: 'logistic-v1',
      version: 'bench-logistic-1',
      bias: -4,
      weights: {
        card_cnt_1h: 0.4, card_cnt_24h: 0.05, card_amt_24h: 0.001, card_distinct_devices_7d: 0.3, account_orders_30d: -0.1, account_chargebacks_180d: 2,
        device_accounts_7d: 0.35, rt_log_amount: 0.3, rt_is_guest: 0.6, rt_new_account: 1, rt_ip_bin_country_mismatch: 1.2, rt_digital_goods: 0.5, rt_high_risk_category: 0.6,
      },
    });
    const lkg = join(dir, 'lkg', 'eu');
    mkdirSync(lkg, { recursive: true });
    const ref = { name: 'checkout', version: 'bench-logistic-1', sha256 };
    writeFileSync(join(lkg, 'checkout@bench-logistic-1.bin'), bytes);
    writeFileSync(join(lkg, 'manifest.json'), JSON.stringify({ assignment: { production: ref, canary: null, shadows: [] } }));

    const scorerPort = await freePort();
    node(['apps/scorer/src/main.ts'], {
      PORT: String(scorerPort), HOST: '127.0.0.1', REDIS_URL, FEATURE_KEY_PREFIX: PREFIX, MODEL_CACHE_DIR: join(dir, 'lkg'), TOKEN_KEYS: KEYS,
      LOG_LEVEL: 'warn', DECISION_LOG: 'none', NODE_ENV: 'production',
    });
    const scorerUrl = `http://127.0.0.1:${scorerPort}/v1/decisions`;
    await waitUp(scorerUrl);
    const sample = parseDecision(await (await fetch(scorerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reqs[1]) })).json());
    if (sample.modelVersion !== 'bench-logistic-1' || sample.degraded.length) console.warn('warning: sample decision not on the full path', sample.degraded, sample.modelVersion);

    const basePort = await freePort();
    node(['tools/cli/src/lib/bench-baseline-server.ts', String(basePort), JSON.stringify(sample)]);
    const baseUrl = `http://127.0.0.1:${basePort}/v1/decisions`;
    await waitUp(baseUrl);

    const results: Record<string, { max: Awaited<ReturnType<typeof loadgen>>; fixed: Awaited<ReturnType<typeof loadgen>> }> = {};
    for (const [name, url] of [['baseline (bare Fastify, fixed decision)', baseUrl], ['scorer (full path)', scorerUrl]] as const) {
      await loadgen(url, bodies, 'closed', 1, { concurrency: 16, seconds: 2 }); // warm-up
      const max = await loadgen(url, bodies, 'closed', 2, { concurrency: 32, seconds: SECONDS });
      const fixed = await loadgen(url, bodies, 'open', 1, { rate: RATE, seconds: SECONDS });
      results[name] = { max, fixed };
      console.log(`${name}: max ${max.rps.toFixed(0)} rps (errors ${max.errors}); at ${RATE} rps: p50 ${fixed.p50.toFixed(2)} ms, p99 ${fixed.p99.toFixed(2)} ms, p99.9 ${fixed.p999.toFixed(2)} ms (errors ${fixed.errors})`);
    }
    const [b, s] = Object.values(results) as [(typeof results)[string], (typeof results)[string]];
    const ratio = s.max.rps / b.max.rps;
    console.log(`throughput ratio scorer/baseline: ${ratio.toFixed(2)} (aim ≥ 0.5); scorer p99 at ${RATE} rps: ${s.fixed.p99.toFixed(2)} ms (aim ≤ 10)`);

    const cpu = cpus();
    const md = `# Scorer benchmark

Run with \`npm run bench:scorer\` (flags: \`--rate=<rps> --seconds=<s>\`). Generated by tools/cli/src/bench-scorer.ts.

- Date: ${new Date().toISOString()}
- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}, Node ${process.version}; 1-min load average at the end: ${loadavg()[0]?.toFixed(1)} (the box is shared with other sessions, so absolute figures are noisy; the ratio is measured in the same run).
- Scorer: \`apps/scorer/src/main.ts\` (Nest + Fastify) with features from Redis (one MGET of 5 entity keys, seeded for 2000 distinct shoppers), the logistic model bundle \`bench-logistic-1\` loaded and checksum-verified from the LKG cache, the versioned policy \`apps/scorer/config/policy.json\`. Decision log off (\`DECISION_LOG=none\`) so the bench does not write to the shared event log.
- Baseline: bare Fastify returning a fixed decision of the same size (${JSON.stringify(sample).length} bytes).
- Load: max throughput = 2 closed-loop generator processes × 32 connections for ${SECONDS} s; latency = 1 open-loop constant-arrival generator at ${RATE} rps for ${SECONDS} s, latency measured from the scheduled send time.

| target | max rps | p50 ms @${RATE} rps | p99 ms | p99.9 ms | errors |
|---|---|---|---|---|---|
| baseline | ${b.max.rps.toFixed(0)} | ${b.fixed.p50.toFixed(2)} | ${b.fixed.p99.toFixed(2)} | ${b.fixed.p999.toFixed(2)} | ${b.max.errors + b.fixed.errors} |
| scorer | ${s.max.rps.toFixed(0)} | ${s.fixed.p50.toFixed(2)} | ${s.fixed.p99.toFixed(2)} | ${s.fixed.p999.toFixed(2)} | ${s.max.errors + s.fixed.errors} |

Throughput ratio scorer / baseline: **${ratio.toFixed(2)}** (aim ≥ 0.5). Scorer p99 at ${RATE} rps: **${s.fixed.p99.toFixed(2)} ms** (aim ≤ 10 ms).
`;
    writeFileSync(join(ROOT, 'docs/scorer-benchmark.md'), md);
    console.log('written docs/scorer-benchmark.md');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    let cursor = '0';
    for (let i = 0; i < 1000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(1);
});
