/**
 * chaos — each fault under open-model load through @risk/scorer-client (hedge + fail-open). Prints and asserts per
 * scenario: availability within the deadline, degraded share, recovery time, lost/duplicated events after recovery.
 * Only test-owned Redis/PostgreSQL instances on their own ports are touched.
 */
import { cpus, loadavg } from 'node:os';
import { Command } from 'commander';
import { TOPICS, exampleScoringRequest, type Decision } from '@risk/contract-events';
import { startEvents } from './lib/event-run';
import { countEvents } from './lib/event-count';
import { startLoad } from './lib/load-run';
import { publishModel } from './lib/registry-models';
import { eventLoss, pct, summarize, type AssertionResult } from './lib/peak-report';
import { sleep, waitFor } from './lib/processes';
import { PeakStack } from './lib/stack';

const program = new Command()
  .option('--quick', 'short phases (CI)', false)
  .option('--rate <rps>', 'offered load per scenario', (v) => Number(v), 50)
  .option('--deadline <ms>', 'answer deadline of the checkout', (v) => Number(v), 60)
  .option('--only <names>', 'comma-separated scenario names')
  .parse(process.argv);
const opts = program.opts<{ quick: boolean; rate: number; deadline: number; only?: string }>();
const log = (s: string): void => console.log(s);

interface Scenario {
  name: string;
  /** Seconds the fault lasts (quick, full). */
  faultS: [number, number];
  /** Extra seconds of load after the fault clears. */
  postS?: number;
  inject(stack: PeakStack): Promise<void> | void;
  clear(stack: PeakStack): Promise<void>;
  /** True once the system is back to normal (polled after `clear`). */
  recovered(stack: PeakStack): Promise<boolean>;
  /** Extra scenario-specific checks on the decisions seen during the run. */
  check?(s: ReturnType<typeof summarize>): AssertionResult[];
}

async function probeDecision(stack: PeakStack, id: string): Promise<Decision | null> {
  try {
    const res = await fetch(`${stack.scorerUrl}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...exampleScoringRequest(), checkoutId: id }),
      signal: AbortSignal.timeout(1000),
    });
    return res.ok ? ((await res.json()) as Decision) : null;
  } catch {
    return null;
  }
}

let probeN = 0;
const healthyDecision = (stack: PeakStack, bad: (d: Decision) => boolean) => async (): Promise<boolean> => {
  const d = await probeDecision(stack, `probe-${probeN++}`);
  return d !== null && !bad(d);
};
const hasReason = (d: Decision, prefix: string): boolean => d.degraded.some((e) => `${e.stage}:${e.reason}`.startsWith(prefix));

function scenarios(): Scenario[] {
  let slowing = false;
  let corruptId = '';
  let fixedId = '';
  return [
    {
      name: 'redis-killed',
      faultS: [6, 20],
      inject: (s) => s.featuresRedis.kill(),
      clear: (s) => s.featuresRedis.start(),
      recovered: (s) => healthyDecision(s, (d) => hasReason(d, 'features:'))(),
    },
    {
      name: 'redis-slowed',
      faultS: [6, 20],
      inject: (s) => {
        slowing = true;
        const c = s.featuresRedis.client();
        void (async () => {
          // DEBUG SLEEP blocks the server 50 ms at a time: connected but answering late.
          for (let i = 0; slowing && i < 2000; i++) await c.call('DEBUG', 'SLEEP', '0.05').catch(() => sleep(10));
          c.disconnect();
        })();
      },
      clear: async () => void (slowing = false),
      recovered: (s) => healthyDecision(s, (d) => hasReason(d, 'features:'))(),
    },
    {
      name: 'postgres-stopped',
      faultS: [6, 20],
      inject: (s) => s.postgres.stop('fast'),
      clear: (s) => s.postgres.start(),
      recovered: (s) => s.registryUp(),
    },
    {
      name: 'event-log-unavailable',
      faultS: [6, 20],
      inject: (s) => s.eventRedis.kill(),
      clear: (s) => s.eventRedis.start(),
      recovered: async (s) => (await s.eventLag()) !== null && (await healthyDecision(s, (d) => hasReason(d, 'service:event_log'))()),
    },
    {
      name: 'registry-down',
      faultS: [6, 20],
      inject: (s) => s.registry.kill(),
      // Recovery is timed from the restart being issued, so it includes the registry's boot.
      clear: async (s) => {
        void s.registry.start(120_000).catch((err: unknown) => log(`   registry restart failed: ${(err as Error).message}`));
      },
      recovered: async (s) => (await s.scorerHealth())?.['registry'] === 'up' && (await s.registryUp()),
    },
    {
      name: 'corrupt-model-pushed',
      faultS: [6, 20],
      inject: async (s) => void (corruptId = await publishModel(s.registryUrl, s.artifactDir, `corrupt-${Date.now()}`, { corruptOnDisk: true })),
      clear: async (s) => void (fixedId = await publishModel(s.registryUrl, s.artifactDir, `fixed-${Date.now()}`)),
      recovered: (s) => healthyDecision(s, (d) => d.modelVersion !== fixedId)(),
      check: (sum) => [{ name: 'corrupt model never served', ok: corruptId !== '' && !sum.modelVersions[corruptId], detail: `corrupt ${corruptId}; served ${JSON.stringify(sum.modelVersions)}` }],
    },
    {
      name: 'feature-service-lagging',
      faultS: [15, 120],
      inject: (s) => s.featureService.signal('SIGSTOP'),
      clear: async (s) => s.featureService.signal('SIGCONT'),
      recovered: async (s) => ((await s.eventLag())?.lag ?? Infinity) < 20,
    },
    {
      name: 'scorer-killed',
      faultS: [6, 20],
      postS: 30,
      inject: (s) => s.scorer.kill(),
      clear: async (s) => void s.scorer.start(120_000).catch((err: unknown) => log(`   scorer restart failed: ${(err as Error).message}`)),
      recovered: (s) => healthyDecision(s, () => false)(),
    },
  ];
}

async function runScenario(stack: PeakStack, sc: Scenario, q: boolean): Promise<{ ok: boolean; line: string }> {
  const pre = q ? 4 : 15;
  const fault = sc.faultS[q ? 0 : 1];
  const post = sc.postS ?? (q ? 15 : 45);
  const total = pre + fault + post;
  const runId = `${sc.name}-${Date.now().toString(36)}`;
  const lagBefore = await stack.eventLag();
  const load = startLoad({ url: stack.scorerUrl, mode: 'client', schedule: [[0, opts.rate], [total, opts.rate]], processes: 1, budgetMs: opts.deadline, idPrefix: `${runId}-` });
  const t0 = await load.started;
  const events = startEvents({ redisUrl: stack.eventRedis.url, rate: 40, durationS: total, runId });
  await sleep(Math.max(0, t0 + pre * 1000 - Date.now()));
  const faultAt = Date.now();
  await sc.inject(stack);
  await sleep(Math.max(0, faultAt + fault * 1000 - Date.now()));
  const lagAtClear = await stack.eventLag();
  const clearAt = Date.now();
  await sc.clear(stack);
  // Timed from the moment the fault is cleared (restart issued), so restarts' boot time is included.
  const recoveredAt = (await waitFor(() => sc.recovered(stack), 90_000)) === null ? null : Date.now();
  const recoveryMs = recoveredAt === null ? null : recoveredAt - clearAt;
  const seconds = await load.done;
  const ev = await events.done;
  const sum = summarize(sc.name, seconds);
  const faultSec = Math.floor((faultAt - t0) / 1000);
  const inFault = summarize('fault', seconds.filter((s) => s.second >= faultSec && s.second < faultSec + fault));

  // After recovery: every decision the scorer makes must reach the decision log exactly once...
  const postIds: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = `${runId}-post-${i}`;
    const d = await probeDecision(stack, id);
    if (d) postIds.push(id);
  }
  await sleep(2000);
  const decisions = await countEvents(stack.eventRedis.url, [TOPICS.decisions], postIds, (v) => (v['payload'] as { checkoutId?: string } | undefined)?.checkoutId);
  // ...and every marketplace event acknowledged by the log during the whole scenario is there exactly once and consumed.
  const ingested = await countEvents(stack.eventRedis.url, [TOPICS.checkoutEvents, TOPICS.labels], ev.acked, (v) => v['eventId'] as string | undefined);
  const consumed = await waitFor(async () => {
    const l = await stack.eventLag();
    return l !== null && l.lag === 0 && l.pending === 0;
  }, 60_000);
  // Informational: decisions the scorer made during the whole scenario (fault included) that are in the log.
  const during = await countEvents(stack.eventRedis.url, [TOPICS.decisions], load.scorerAnswered, (v) => (v['payload'] as { checkoutId?: string } | undefined)?.checkoutId);
  const dl = eventLoss(decisions);
  const il = eventLoss(ingested);
  const unanswered = sum.offered - sum.answered;
  const checks: AssertionResult[] = [
    { name: 'every valid request answered (scorer or fail-open)', ok: unanswered === 0 && sum.status5xx === 0, detail: `${sum.answered}/${sum.offered}` },
    { name: `answered within ${opts.deadline} ms ≥ 99.9%`, ok: sum.withinBudgetShare >= 0.999, detail: pct(sum.withinBudgetShare, 2) },
    { name: 'recovered after the fault cleared', ok: recoveredAt !== null, detail: recoveryMs === null ? 'no' : `${recoveryMs} ms` },
    { name: 'decision log after recovery: lost 0, duplicated 0', ok: postIds.length > 0 && dl.lost === 0 && dl.duplicated === 0, detail: `${decisions.expected} sent, lost ${dl.lost}, dup ${dl.duplicated}` },
    { name: 'ingested events: lost 0, duplicated 0, all consumed', ok: ev.unpublished === 0 && il.lost === 0 && il.duplicated === 0 && consumed !== null, detail: `${ingested.expected} acked, lost ${il.lost}, dup ${il.duplicated}, unpublished ${ev.unpublished}, consumed ${consumed !== null}` },
    ...(sc.check?.(sum) ?? []),
  ];
  const ok = checks.every((c) => c.ok);
  log(`\n== ${sc.name} (${fault} s fault, ${opts.rate} rps) ${ok ? 'PASS' : 'FAIL'}`);
  log(
    `   answered ${sum.answered}/${sum.offered}, within ${opts.deadline} ms ${pct(sum.withinBudgetShare)}, p50 ${sum.p50.toFixed(1)} p99 ${sum.p99.toFixed(1)} p99.9 ${sum.p999.toFixed(1)} ms; ` +
      `degraded ${pct(sum.degradedShare)} (during fault ${pct(inFault.degradedShare)}), fail-open ${sum.failOpen}; by ${JSON.stringify(inFault.degradedBy)}`,
  );
  log(`   recovery ${recoveryMs === null ? 'NOT within 90 s' : `${recoveryMs} ms`} after the fault cleared; event-log lag before ${JSON.stringify(lagBefore)}, when the fault cleared ${JSON.stringify(lagAtClear)}; producer retries ${ev.retries}`);
  const dAll = eventLoss(during);
  log(`   decision log over the whole scenario (fault included): ${during.expected} answered by the scorer, ${during.unique} logged, ${dAll.lost} missing, ${dAll.duplicated} duplicated (answers after a hedged/retried second request: ${load.multiAttempt.count})`);
  for (const c of checks) log(`   ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const line = `| ${sc.name} | ${fault} s | ${sum.answered}/${sum.offered} | ${pct(sum.withinBudgetShare)} | ${pct(inFault.degradedShare)} | ${sum.failOpen} | ${recoveryMs ?? 'n/a'} ms | ${dl.lost}/${dl.duplicated} | ${il.lost}/${il.duplicated} | ${dAll.lost}/${during.expected} | ${ok ? 'PASS' : 'FAIL'} |`;
  return { ok, line };
}

async function main(): Promise<number> {
  const all = scenarios();
  const only = opts.only?.split(',');
  const chosen = only ? all.filter((s) => only.includes(s.name)) : all;
  if (!chosen.length) throw new Error(`no scenario matches ${opts.only}; known: ${all.map((s) => s.name).join(', ')}`);
  log(`chaos ${opts.quick ? '--quick ' : ''}on ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${chosen.length} scenarios`);
  const stack = new PeakStack({ log });
  const lines: string[] = [];
  let ok = true;
  try {
    await stack.start();
    for (const sc of chosen) {
      const r = await runScenario(stack, sc, opts.quick);
      ok &&= r.ok;
      lines.push(r.line);
    }
  } finally {
    await stack.stop();
  }
  log('\n| scenario | fault | answered | ≤ deadline | degraded (fault) | fail-open | recovery | decisions lost/dup after recovery | events lost/dup | decisions missing from the log, whole scenario | result |');
  log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of lines) log(l);
  log(`load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  },
);
