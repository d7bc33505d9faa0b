/**
 * Binned distributions for drift: quantile bins of the training reference (plus a missing bin), PSI and a
 * binned two-sample KS. Storing bins (not raw values) keeps the reference small enough for registry evidence.
 */
export interface BinnedDistribution {
  /** Upper bin edges (inclusive), ascending; a value above the last edge falls in the overflow bin. */
  edges: number[];
  /** counts per bin: edges.length + 1 entries (the last is the overflow bin) */
  counts: number[];
  /** values served as missing */
  missing: number;
  total: number;
}

export function quantileEdges(values: ArrayLike<number>, bins: number): number[] {
  const xs = Float64Array.from(values).filter((v) => Number.isFinite(v)).sort();
  if (xs.length === 0) return [];
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = xs[Math.min(xs.length - 1, Math.floor((k / bins) * xs.length))];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  // A constant feature still needs one edge so "constant" and "moved" differ.
  if (edges.length === 0) edges.push(xs[0]);
  return edges;
}

export function binIndex(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function emptyDistribution(edges: readonly number[]): BinnedDistribution {
  return { edges: [...edges], counts: new Array<number>(edges.length + 1).fill(0), missing: 0, total: 0 };
}

/** Adds one observation (`null` = missing). */
export function observe(d: BinnedDistribution, v: number | null): void {
  d.total++;
  if (v === null || !Number.isFinite(v)) d.missing++;
  else d.counts[binIndex(d.edges, v)]++;
}

export function buildDistribution(values: ArrayLike<number>, missing: ArrayLike<number> | null, bins = 10): BinnedDistribution {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!(missing && missing[i])) present.push(values[i]);
  const d = emptyDistribution(quantileEdges(present, bins));
  for (let i = 0; i < values.length; i++) observe(d, missing && missing[i] ? null : values[i]);
  return d;
}

/** Proportions over [missing, bin0..binN], with additive smoothing so an empty bin does not make PSI infinite. */
function proportions(d: BinnedDistribution, alpha: number): number[] {
  const k = d.counts.length + 1;
  const denom = d.total + alpha * k;
  return [d.missing, ...d.counts].map((c) => (c + alpha) / denom);
}

/** Population stability index of `live` against `reference` (same edges). 0.1 moderate, 0.25 significant. */
export function psi(reference: BinnedDistribution, live: BinnedDistribution, alpha = 0.5): number {
  if (live.total === 0 || reference.total === 0) return 0;
  const e = proportions(reference, alpha);
  const a = proportions(live, alpha);
  let s = 0;
  for (let i = 0; i < e.length; i++) s += (a[i] - e[i]) * Math.log(a[i] / e[i]);
  return s;
}

/** Two-sample Kolmogorov–Smirnov distance on the reference's bins (missing ordered first). */
export function ksDistance(reference: BinnedDistribution, live: BinnedDistribution): number {
  if (live.total === 0 || reference.total === 0) return 0;
  const r = [reference.missing, ...reference.counts];
  const l = [live.missing, ...live.counts];
  let cr = 0;
  let cl = 0;
  let max = 0;
  for (let i = 0; i < r.length; i++) {
    cr += r[i] / reference.total;
    cl += l[i] / live.total;
    max = Math.max(max, Math.abs(cr - cl));
  }
  return max;
}

/** Total variation distance between two categorical mixes (each normalised). */
export function mixDistance(expected: Readonly<Record<string, number>>, live: Readonly<Record<string, number>>): number {
  const keys = new Set([...Object.keys(expected), ...Object.keys(live)]);
  const se = Object.values(expected).reduce((a, b) => a + b, 0) || 1;
  const sl = Object.values(live).reduce((a, b) => a + b, 0) || 1;
  let d = 0;
  for (const k of keys) d += Math.abs((expected[k] ?? 0) / se - (live[k] ?? 0) / sl);
  return d / 2;
}
