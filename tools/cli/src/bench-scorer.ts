// npm run bench:scorer [-- --rate=1000 --seconds=8]
// Real scorer (checkout features from Redis via @risk/online-store, a GBDT trained with @risk/ml loaded from the LKG
// cache, versioned policy) vs a bare Fastify app returning a fixed decision of the same size; load generators run as
// separate processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { exampleScoringRequest, parseDecision, type ScoringRequest } from '@risk/contract-events';
import { tokenizeAtEdge } from '@risk/decision';
import { checkoutFeatureSet, checkoutStartedToFeatureEvent } from '@risk/feature-sets';
import { makeSyntheticFraudData, serializeBundle, bundleSha256, trainModel } from '@risk/ml';
import { OnlineFeatureStore } from '@risk/online-store';
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
    // Online state written by the feature engine itself (@risk/online-store), keyed as the scorer reads it:
    // 1-5 earlier checkouts per shopper within the last hour before the request.
    const reqs = requests(2000);
    const tokenizer = createTokenizer({ region: 'eu', keys: { bench: 'bench-secret-0123456789abcdef' }, activeKeyId: 'bench' });
    const store = new OnlineFeatureStore({ redis, set: checkoutFeatureSet, keyPrefix: PREFIX, region: 'eu' });
    const seeded = Date.now();
    for (let from = 0; from < reqs.length; from += 200) {
      const events = reqs.slice(from, from + 200).flatMap((r, j) => {
        const i = from + j;
        const at = Date.parse(r.occurredAt);
        return Array.from({ length: 1 + (i % 5) }, (_, k) => {
          const e = tokenizeAtEdge({ ...r, checkoutId: `${r.checkoutId}_prior${k}`, occurredAt: new Date(at - (k + 1) * 300_000).toISOString() }, tokenizer);
          const t = e.tokens;
          return checkoutStartedToFeatureEvent({
            eventId: '00000000-0000-4000-8000-000000000000', schemaVersion: 1, type: 'checkout.started', occurredAt: e.request.occurredAt, region: 'eu',
            payload: {
              checkoutId: e.request.checkoutId,
              subject: { accountToken: t.account, cardToken: t.card, deviceToken: t.device, ipToken: t.ip, emailToken: t.email, addressToken: t.address, merchantId: r.merchant.id, paymentMethodId: r.payment.methodId, bin: r.payment.card?.bin },
              amount: r.amount, channel: r.channel, accountCreatedAt: r.shopper.accountCreatedAt, isGuest: r.shopper.isGuest, paymentType: r.payment.type,
              binCountry: r.payment.card?.country, ipCountry: r.device.ipCountry, shippingCountry: r.shipping.address.country, merchantCountry: r.merchant.country,
              mcc: r.merchant.mcc, itemCount: r.items.count, digitalGoods: r.items.digitalGoods, highRiskCategory: r.items.highRiskCategory, shippingMethod: r.shipping.method,
            },
          });
        });
      });
      await store.apply(events);
    }
    console.log(`seeded online state for ${reqs.length} shoppers in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const bodies = join(dir, 'bodies.json');
    writeFileSync(bodies, JSON.stringify(reqs));

    // A GBDT trained with @risk/ml on synthetic rows shaped like the checkout feature vector (its featureNames, so
    // the scorer's assertBundleFeatures accepts it); the scorer cold-starts from the LKG cache, no registry needed.
    const names = [...checkoutFeatureSet.featureNames];
    const trained = await trainModel({
      modelType: 'gbdt', train: makeSyntheticFraudData(6000, names.length, 7), featureNames: names,
      featureSet: { name: checkoutFeatureSet.name, version: checkoutFeatureSet.version }, seed: 7, calibrationMethod: 'platt',
      gbdt: { nTrees: 150, maxDepth: 5 },
    });
    const bytes = serializeBundle(trained.bundle);
    const sha256 = bundleSha256(bytes);
    const trees = trained.bundle.components.find((c) => c.kind === 'gbdt');
    const treeCount = trees?.kind === 'gbdt' ? trees.trees.treeRoots.length : 0;
    const MODEL = 'bench-gbdt-1';
    const lkg = join(dir, 'lkg', 'eu');
    mkdirSync(lkg, { recursive: true });
    const ref = { name: 'checkout', version: MODEL, sha256 };
    writeFileSync(join(lkg, `checkout@${MODEL}.bin`), bytes);
    writeFileSync(join(lkg, 'manifest.json'), JSON.stringify({ assignment: { production: ref, canary: null, shadows: [] } }));

    const scorerPort = await freePort();
    node(['apps/scorer/src/main.ts'], {
      PORT: String(scorerPort), HOST: '127.0.0.1', REDIS_URL, FEATURE_KEY_PREFIX: PREFIX, MODEL_CACHE_DIR: join(dir, 'lkg'), TOKEN_KEYS: KEYS,
      LOG_LEVEL: 'warn', DECISION_LOG: 'none', NODE_ENV: 'production',
    });
    const scorerUrl = `http://127.0.0.1:${scorerPort}/v1/decisions`;
    await waitUp(scorerUrl);
    // The first decisions pay cold connections and JIT; take the sample once the full path answers.
    let sample = parseDecision(await (await fetch(scorerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reqs[1]) })).json());
    for (let i = 0; i < 20 && (sample.degraded.length || sample.modelVersion !== MODEL); i++) {
      sample = parseDecision(await (await fetch(scorerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reqs[2 + i]) })).json());
    }
    if (sample.modelVersion !== MODEL || sample.degraded.length) console.warn('warning: sample decision not on the full path', sample.degraded, sample.modelVersion);

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
    // How many scorer decisions took the full path: degraded counts from the scorer's own /metrics.
    const metrics = await (await fetch(`http://127.0.0.1:${scorerPort}/metrics`)).text();
    const sum = (re: RegExp): number => [...metrics.matchAll(re)].reduce((a, m) => a + Number(m[2] ?? m[1]), 0);
    const decisions = sum(/^scorer_decisions_total\{[^}]*\} (\S+)$/gm);
    const degradedBy = new Map<string, number>();
    for (const m of metrics.matchAll(/^scorer_degraded_total\{[^}]*reason="([^"]+)"[^}]*\} (\S+)$/gm)) degradedBy.set(m[1] as string, (degradedBy.get(m[1] as string) ?? 0) + Number(m[2]));
    const degradedText = [...degradedBy].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
    console.log(`scorer decisions during the run: ${decisions}; degraded reasons: ${degradedText}`);
    const [b, s] = Object.values(results) as [(typeof results)[string], (typeof results)[string]];
    const ratio = s.max.rps / b.max.rps;
    console.log(`throughput ratio scorer/baseline: ${ratio.toFixed(2)} (aim ≥ 0.5); scorer p99 at ${RATE} rps: ${s.fixed.p99.toFixed(2)} ms (aim ≤ 10)`);

    const cpu = cpus();
    const md = `# Scorer benchmark

Run with \`npm run bench:scorer\` (flags: \`--rate=<rps> --seconds=<s>\`). Generated by tools/cli/src/bench-scorer.ts.

- Date: ${new Date().toISOString()}
- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}, Node ${process.version}; 1-min load average at the end: ${loadavg()[0]?.toFixed(1)} (the box is shared with other sessions, so absolute figures are noisy; the ratio is measured in the same run).
- Scorer: \`apps/scorer/src/main.ts\` (Nest + Fastify) with the \`checkout\` feature set (${names.length} features) read from Redis through @risk/online-store (one MGET of the request's entity keys under the feature deadline; state written by the engine for 2000 distinct shoppers, 1-5 earlier checkouts each), a GBDT trained with @risk/ml (${treeCount} trees, depth ≤ 5, Platt-calibrated) loaded from the LKG cache with its sha256 and feature names verified, the versioned policy \`apps/scorer/config/policy.json\`. Decision log off (\`DECISION_LOG=none\`) so the bench does not write to the shared event log.
- Baseline: bare Fastify returning a fixed decision of the same size (${JSON.stringify(sample).length} bytes).
- Load: max throughput = 2 closed-loop generator processes × 32 connections for ${SECONDS} s; latency = 1 open-loop constant-arrival generator at ${RATE} rps for ${SECONDS} s, latency measured from the scheduled send time.

| target | max rps | p50 ms @${RATE} rps | p99 ms | p99.9 ms | errors |
|---|---|---|---|---|---|
| baseline | ${b.max.rps.toFixed(0)} | ${b.fixed.p50.toFixed(2)} | ${b.fixed.p99.toFixed(2)} | ${b.fixed.p999.toFixed(2)} | ${b.max.errors + b.fixed.errors} |
| scorer | ${s.max.rps.toFixed(0)} | ${s.fixed.p50.toFixed(2)} | ${s.fixed.p99.toFixed(2)} | ${s.fixed.p999.toFixed(2)} | ${s.max.errors + s.fixed.errors} |

Scorer decisions during the run (its own \`/metrics\`): ${decisions}; degraded flags: ${degradedText}.

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
