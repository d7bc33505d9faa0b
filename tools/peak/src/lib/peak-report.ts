import type { RateSchedule, SecondStats } from './peak.types';

export function emptySecond(second: number): SecondStats {
  return {
    second,
    offered: 0,
    sent: 0,
    answered: 0,
    withinBudget: 0,
    latencies: [],
    degraded: 0,
    degradedBy: {},
    failOpen: 0,
    status5xx: 0,
    status4xx: 0,
    timeouts: 0,
    connErrors: 0,
    overflow: 0,
    modelVersions: {},
  };
}

const addCounts = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** Folds `b` into `a` (same or different seconds; `a.second` is kept). */
export function mergeInto(a: SecondStats, b: SecondStats): SecondStats {
  a.offered += b.offered;
  a.sent += b.sent;
  a.answered += b.answered;
  a.withinBudget += b.withinBudget;
  for (const l of b.latencies) a.latencies.push(l);
  a.degraded += b.degraded;
  addCounts(a.degradedBy, b.degradedBy);
  a.failOpen += b.failOpen;
  a.status5xx += b.status5xx;
  a.status4xx += b.status4xx;
  a.timeouts += b.timeouts;
  a.connErrors += b.connErrors;
  a.overflow += b.overflow;
  addCounts(a.modelVersions, b.modelVersions);
  return a;
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Offered rate at second `t` of a piecewise-linear schedule (0 outside it). */
export function rateAt(schedule: RateSchedule, t: number): number {
  if (schedule.length === 0) return 0;
  const first = schedule[0] as [number, number];
  const last = schedule[schedule.length - 1] as [number, number];
  if (t < first[0] || t > last[0]) return 0;
  for (let i = 1; i < schedule.length; i++) {
    const [t1, r1] = schedule[i] as [number, number];
    const [t0, r0] = schedule[i - 1] as [number, number];
    if (t <= t1) return t1 === t0 ? r1 : r0 + ((r1 - r0) * (t - t0)) / (t1 - t0);
  }
  return last[1];
}

/** Requests due in [0, t): the integral of the schedule (trapezoids), so arrivals follow the rate exactly. */
export function arrivalsUntil(schedule: RateSchedule, t: number): number {
  let n = 0;
  for (let i = 1; i < schedule.length; i++) {
    const [a, ra] = schedule[i - 1] as [number, number];
    const [b] = schedule[i] as [number, number];
    if (t <= a) break;
    const end = Math.min(t, b);
    n += ((ra + rateAt(schedule, end)) / 2) * (end - a);
  }
  return n;
}

export interface IntervalSummary {
  label: string;
  fromS: number;
  toS: number;
  offeredRps: number;
  answeredRps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Share of offered requests answered within the budget (unanswered count against it). */
  withinBudgetShare: number;
  degradedShare: number;
  degradedBy: Record<string, number>;
  failOpen: number;
  status5xx: number;
  status4xx: number;
  timeouts: number;
  connErrors: number;
  overflow: number;
  offered: number;
  answered: number;
  withinBudget: number;
  modelVersions: Record<string, number>;
}

export function summarize(label: string, seconds: readonly SecondStats[]): IntervalSummary {
  const acc = emptySecond(seconds[0]?.second ?? 0);
  for (const s of seconds) mergeInto(acc, s);
  const sorted = Float64Array.from(acc.latencies).sort();
  const arr = Array.from(sorted);
  const span = Math.max(1, seconds.length);
  return {
    label,
    fromS: seconds[0]?.second ?? 0,
    toS: (seconds[seconds.length - 1]?.second ?? 0) + 1,
    offeredRps: acc.offered / span,
    answeredRps: acc.answered / span,
    p50: percentile(arr, 50),
    p99: percentile(arr, 99),
    p999: percentile(arr, 99.9),
    max: arr.length ? (arr[arr.length - 1] as number) : Number.NaN,
    withinBudgetShare: acc.offered ? acc.withinBudget / acc.offered : 1,
    degradedShare: acc.answered ? acc.degraded / acc.answered : 0,
    degradedBy: acc.degradedBy,
    failOpen: acc.failOpen,
    status5xx: acc.status5xx,
    status4xx: acc.status4xx,
    timeouts: acc.timeouts,
    connErrors: acc.connErrors,
    overflow: acc.overflow,
    offered: acc.offered,
    answered: acc.answered,
    withinBudget: acc.withinBudget,
    modelVersions: acc.modelVersions,
  };
}

export interface AssertionResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** The spike gate of bench:peak: ≥ minShare of valid requests answered within budget (degraded count), no 5xx. */
export function spikeAssertions(spike: IntervalSummary, minShare = 0.999): AssertionResult[] {
  return [
    {
      name: `answered within budget during the spike ≥ ${(minShare * 100).toFixed(1)}%`,
      ok: spike.offered > 0 && spike.withinBudgetShare >= minShare,
      detail: `${spike.withinBudget}/${spike.offered} = ${pct(spike.withinBudgetShare, 3)}`,
    },
    { name: 'no 5xx during the run', ok: spike.status5xx === 0, detail: `${spike.status5xx} x 5xx` },
  ];
}

export interface EventCount {
  expected: number;
  /** Records found for the expected ids (each id counted once). */
  unique: number;
  /** Records found in total for the expected ids. */
  total: number;
}

export function eventLoss(c: EventCount): { lost: number; duplicated: number } {
  return { lost: c.expected - c.unique, duplicated: c.total - c.unique };
}

/**
 * First second (relative to `fromS`) from which every following second up to the end is healthy; null if the
 * series never settles. Recovery time = that second − the second the fault cleared.
 */
export function recoveredAt(seconds: readonly SecondStats[], fromS: number, healthy: (s: SecondStats) => boolean): number | null {
  const after = seconds.filter((s) => s.second >= fromS);
  let candidate: number | null = null;
  for (const s of after) {
    if (healthy(s)) candidate ??= s.second;
    else candidate = null;
  }
  return candidate;
}

export const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');

const topReasons = (by: Record<string, number>, answered: number): string =>
  Object.entries(by)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${pct(answered ? v / answered : 0, 1)}`)
    .join(', ') || '-';

/** Fixed-width table of interval summaries, plus per-interval extra columns (lag, RSS). */
export function formatTable(rows: ReadonlyArray<IntervalSummary & { extra?: string }>): string {
  const head = ['interval', 'offer/s', 'ans/s', 'p50', 'p99', 'p99.9', 'max', '≤budget', 'degr', '5xx', 'tmo', 'err', 'ovf', 'degraded by', 'extra'];
  const lines = rows.map((r) => [
    `${r.label} ${r.fromS}-${r.toS}s`,
    r.offeredRps.toFixed(0),
    r.answeredRps.toFixed(0),
    ms(r.p50),
    ms(r.p99),
    ms(r.p999),
    ms(r.max),
    pct(r.withinBudgetShare, 2),
    pct(r.degradedShare, 1),
    String(r.status5xx),
    String(r.timeouts),
    String(r.connErrors),
    String(r.overflow),
    topReasons(r.degradedBy, r.answered),
    r.extra ?? '',
  ]);
  const all = [head, ...lines];
  const widths = head.map((_, i) => Math.max(...all.map((l) => (l[i] as string).length)));
  return all.map((l) => l.map((c, i) => (i >= head.length - 2 ? c : c.padStart(widths[i] as number))).join('  ')).join('\n');
}
