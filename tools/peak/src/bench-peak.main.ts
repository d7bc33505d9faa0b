/**
 * bench:peak — the whole local stack under a marketplace-simulator spike: baseline, ramp to 10x, hold, return.
 * Open-model (constant-arrival) load from separate generator processes; prints per-interval latency, budget share,
 * degradation by path, errors, event-log lag and RSS; exits 1 when the spike gate fails.
 */
import { cpus, loadavg } from 'node:os';
import { Command } from 'commander';
import { startEvents } from './lib/event-run';
import { startLoad } from './lib/load-run';
import { formatTable, pct, spikeAssertions, summarize, type IntervalSummary } from './lib/peak-report';
import type { RateSchedule, SecondStats } from './lib/peak.types';
import { sleep } from './lib/processes';
import { PeakStack } from './lib/stack';

const program = new Command()
  .option('--quick', 'short phases (CI)', false)
  .option('--baseline <rps>', 'baseline offered rate', (v) => Number(v))
  .option('--multiplier <x>', 'peak over baseline', (v) => Number(v), 10)
  .option('--processes <n>', 'load-generator processes', (v) => Number(v), 2)
  .option('--budget <ms>', 'latency budget', (v) => Number(v), 60)
  .parse(process.argv);
const opts = program.opts<{ quick: boolean; baseline?: number; multiplier: number; processes: number; budget: number }>();

const log = (s: string): void => console.log(s);

async function main(): Promise<number> {
  const q = opts.quick;
  const base = opts.baseline ?? 300;
  const peak = base * opts.multiplier;
  // [baseline, ramp, hold, return, baseline] durations in seconds
  const [b1, ramp, hold, ret, b2] = q ? [10, 15, 20, 5, 10] : [30, 60, 120, 30, 30];
  const tRampStart = b1;
  const tHoldEnd = b1 + ramp + hold;
  const end = tHoldEnd + ret + b2;
  const schedule: RateSchedule = [
    [0, base],
    [b1, base],
    [b1 + ramp, peak],
    [tHoldEnd, peak],
    [tHoldEnd + ret, base],
    [end, base],
  ];
  const phaseOf = (s: number): string => (s < b1 ? 'base' : s < b1 + ramp ? 'ramp' : s < tHoldEnd ? 'hold' : s < tHoldEnd + ret ? 'return' : 'base2');

  log(`bench:peak ${q ? '--quick ' : ''}on ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  log(`offered: ${base} rps baseline -> ${peak} rps (x${opts.multiplier}) in ${ramp} s, hold ${hold} s, return ${ret} s; ${opts.processes} generator processes; budget ${opts.budget} ms`);
  const stack = new PeakStack({ log });
  const samples = new Map<number, { lag: number | null; pending: number | null; rss: Record<string, number | null>; cpu: Record<string, number | null>; decisions: number | null }>();
  try {
    await stack.start();
    const runId = Date.now().toString(36);
    const load = startLoad({ url: stack.scorerUrl, mode: 'raw', schedule, processes: opts.processes, budgetMs: opts.budget, timeoutMs: 2000, idPrefix: `peak-${runId}-` });
    const t0 = await load.started;
    const decisionsBefore = await stack.scorerDecisions();
    const events = startEvents({ redisUrl: stack.eventRedis.url, rate: q ? 150 : 300, durationS: end + 4, runId });
    // Sampler: bounded by the run's length.
    const sampler = (async () => {
      while (Date.now() < t0 + (end + 3) * 1000) {
        const sec = Math.floor((Date.now() - t0) / 1000);
        const [lag, decisions] = await Promise.all([stack.eventLag(), stack.scorerDecisions()]);
        const mem = stack.memory([...load.pids.map((pid, i) => ({ name: `loadgen-${i}`, pid })), { name: 'events-gen', pid: events.pid }]);
        samples.set(sec, { lag: lag?.lag ?? null, pending: lag?.pending ?? null, rss: Object.fromEntries(mem.map((m) => [m.name, m.rssMb])), cpu: Object.fromEntries(mem.map((m) => [m.name, m.cpuS])), decisions });
        await sleep(1000);
      }
    })();
    const seconds = (await load.done).filter((s) => s.second >= 0 && s.second < end);
    const ev = await events.done;
    const decisionsAfter = await stack.scorerDecisions();
    await sampler;

    const step = q ? 5 : 10;
    const rows: Array<IntervalSummary & { extra: string }> = [];
    for (let from = 0; from < end; from += step) {
      const slice = seconds.filter((s) => s.second >= from && s.second < from + step);
      if (!slice.length) continue;
      const lags = [...samples.entries()].filter(([k]) => k >= from && k < from + step).map(([, v]) => v);
      const lastLag = lags[lags.length - 1];
      const maxRss = (name: string): string => {
        const v = Math.max(...lags.map((l) => l.rss[name] ?? 0));
        return v > 0 ? v.toFixed(0) : '-';
      };
      const first = lags[0];
      const cpuPct = (name: string): string => {
        const a = first?.cpu[name];
        const b = lastLag?.cpu[name];
        return a != null && b != null && lags.length > 1 ? `${(((b - a) / (lags.length - 1)) * 100).toFixed(0)}%` : '-';
      };
      rows.push({
        ...summarize(phaseOf(from), slice),
        extra: `lag ${lastLag?.lag ?? '-'}/${lastLag?.pending ?? '-'}  cpu scorer ${cpuPct('scorer')}  rss scorer ${maxRss('scorer')} fs ${maxRss('feature-service')} redis ${maxRss('redis-features')} MiB`,
      });
    }
    log('');
    log(formatTable(rows));
    const spikeSeconds: SecondStats[] = seconds.filter((s) => s.second >= tRampStart && s.second < tHoldEnd);
    const spike = summarize('spike', spikeSeconds);
    const total = summarize('whole run', seconds);
    log('');
    log(formatTable([spike, total]));
    const all = [...samples.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    const cpuUsed = (name: string): number | null => {
      const xs = all.map((v) => v.cpu[name]).filter((x): x is number => x != null);
      return xs.length > 1 ? (xs[xs.length - 1] as number) - (xs[0] as number) : null;
    };
    const scorerCpu = cpuUsed('scorer');
    const wall = Math.max(1, all.length - 1);
    log(
      `\nCPU over the run (s of CPU in ${wall} s wall): ${['scorer', 'feature-service', 'redis-features', 'redis-eventlog', 'loadgen-0', 'loadgen-1', 'events-gen'].map((n) => `${n} ${cpuUsed(n)?.toFixed(1) ?? '-'}`).join(', ')}`,
    );
    const made = decisionsBefore !== null && decisionsAfter !== null ? decisionsAfter - decisionsBefore : null;
    // Per decision the scorer made (its own counter), including decisions whose caller had already given up.
    if (scorerCpu && made)
      log(`scorer: ${made} decisions made (${total.answered} reached the caller in time to count), ${scorerCpu.toFixed(1)} CPU-s -> ${((scorerCpu * 1000) / made).toFixed(2)} ms CPU per decision, ${(made / scorerCpu).toFixed(0)} decisions per scorer core-second`);
    // Steady state: CPU per decision over the hold phase only (JIT warm-up and boot excluded).
    const holdS = [...samples.entries()].filter(([k]) => k >= b1 + ramp && k < tHoldEnd).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    const h0 = holdS.find((v) => v.decisions !== null && v.cpu['scorer'] != null);
    const h1 = [...holdS].reverse().find((v) => v.decisions !== null && v.cpu['scorer'] != null);
    if (h0 && h1 && h1 !== h0 && (h1.decisions as number) > (h0.decisions as number)) {
      const d = (h1.decisions as number) - (h0.decisions as number);
      const c = (h1.cpu['scorer'] as number) - (h0.cpu['scorer'] as number);
      log(`scorer during the hold: ${d} decisions, ${c.toFixed(2)} CPU-s -> ${((c * 1000) / d).toFixed(2)} ms CPU per decision, ${(d / c).toFixed(0)} decisions per scorer core-second`);
    }
    const lastMem = all[all.length - 1]?.rss ?? {};
    log(`\nRSS at end (MiB): ${Object.entries(lastMem).map(([k, v]) => `${k} ${v ?? '-'}`).join(', ')}`);
    log(`events: ${ev.acked.length} marketplace events published to the event log (${ev.retries} retried, ${ev.unpublished} unpublished); final consumer lag ${JSON.stringify(await stack.eventLag())}`);
    log(`degraded during spike: ${pct(spike.degradedShare)} — ${JSON.stringify(spike.degradedBy)}; fail-open ${spike.failOpen}; models ${JSON.stringify(spike.modelVersions)}`);
    const checks = spikeAssertions(spike);
    checks.push({ name: 'no 5xx during the whole run', ok: total.status5xx === 0, detail: `${total.status5xx}` });
    log('');
    for (const c of checks) log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
    log(`load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  },
);
