/**
 * Mergeable, JSON-serialisable distributions: the controller persists its analysis window in PostgreSQL, so
 * everything here is plain arrays of counts (no samples kept).
 */

/** Equal-width histogram of scores in [0, 1]. */
export const SCORE_BINS = 100;

export function emptyScoreHistogram(): number[] {
  return new Array<number>(SCORE_BINS).fill(0);
}

export function addScore(hist: number[], score: number): void {
  const s = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  const i = Math.min(SCORE_BINS - 1, Math.floor(s * SCORE_BINS));
  hist[i] = (hist[i] ?? 0) + 1;
}

const sum = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0);

/** Merges neighbouring bins into `groups` groups (PSI on 100 thin bins is noisy). */
function coarsen(hist: readonly number[], groups: number): number[] {
  const out = new Array<number>(groups).fill(0);
  const per = hist.length / groups;
  hist.forEach((v, i) => {
    const g = Math.min(groups - 1, Math.floor(i / per));
    out[g] = (out[g] ?? 0) + v;
  });
  return out;
}

/**
 * Population stability index of `actual` against `expected` over `groups` coarse bins, with a small floor on
 * empty bins (otherwise one empty bin makes it infinite).
 */
export function psi(expected: readonly number[], actual: readonly number[], groups = 10): number {
  const e = coarsen(expected, groups);
  const a = coarsen(actual, groups);
  const ne = sum(e);
  const na = sum(a);
  if (ne === 0 || na === 0) return 0;
  const floor = 1e-4;
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const pe = Math.max(floor, (e[i] ?? 0) / ne);
    const pa = Math.max(floor, (a[i] ?? 0) / na);
    total += (pa - pe) * Math.log(pa / pe);
  }
  return total;
}

/** Two-sample Kolmogorov–Smirnov statistic D and its asymptotic p-value, from two histograms on the same bins. */
export function ks(a: readonly number[], b: readonly number[]): { d: number; pValue: number } {
  const na = sum(a);
  const nb = sum(b);
  if (na === 0 || nb === 0) return { d: 0, pValue: 1 };
  let ca = 0;
  let cb = 0;
  let d = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    ca += a[i] ?? 0;
    cb += b[i] ?? 0;
    d = Math.max(d, Math.abs(ca / na - cb / nb));
  }
  const ne = (na * nb) / (na + nb);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { d, pValue: ksPValue(lambda) };
}

/** Q_KS(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²). */
function ksPValue(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let p = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    p += term;
    if (Math.abs(term) < 1e-10) break;
  }
  return Math.min(1, Math.max(0, p));
}

/**
 * Latency histogram with log-spaced bucket bounds (0.05 ms … ~10 s, ~10% wide): quantiles within ~5%.
 */
const LAT_MIN_MS = 0.05;
const LAT_GROWTH = 1.1;
export const LATENCY_BUCKETS = 130;

export function emptyLatencyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

export function addLatency(hist: number[], ms: number): void {
  const v = Number.isFinite(ms) && ms > LAT_MIN_MS ? ms : LAT_MIN_MS;
  const i = Math.min(LATENCY_BUCKETS - 1, Math.floor(Math.log(v / LAT_MIN_MS) / Math.log(LAT_GROWTH)));
  hist[i] = (hist[i] ?? 0) + 1;
}

/** Upper bound of the bucket holding quantile q (0..1); null when empty. */
export function latencyQuantile(hist: readonly number[], q: number): number | null {
  const n = sum(hist);
  if (n === 0) return null;
  const rank = Math.ceil(q * n);
  let c = 0;
  for (let i = 0; i < hist.length; i++) {
    c += hist[i] ?? 0;
    if (c >= rank) return LAT_MIN_MS * LAT_GROWTH ** (i + 1);
  }
  return LAT_MIN_MS * LAT_GROWTH ** hist.length;
}

export function mergeInto(target: number[], source: readonly number[]): void {
  for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}
