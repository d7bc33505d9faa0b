export interface EceResult {
  ece: number;
  /** Reliability diagram: mean predicted vs observed rate per non-empty bin. */
  bins: { lower: number; upper: number; count: number; meanPredicted: number; observedRate: number }[];
}

/**
 * Expected calibration error: sum over bins of (n_b / n) * |mean p - observed rate|.
 * 'width' uses equal-width bins on [0, 1]; 'mass' uses equal-count bins (better for rare positives).
 */
export function expectedCalibrationError(prob: ArrayLike<number>, labels: ArrayLike<number>, nBins = 10, strategy: 'width' | 'mass' = 'width'): EceResult {
  const n = prob.length;
  if (n !== labels.length) throw new RangeError('prob and labels differ in length');
  if (n === 0) return { ece: Number.NaN, bins: [] };
  const binOf = new Int32Array(n);
  if (strategy === 'width') {
    for (let i = 0; i < n; i++) binOf[i] = Math.min(nBins - 1, Math.max(0, Math.floor(prob[i] * nBins)));
  } else {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => prob[a] - prob[b] || a - b);
    idx.forEach((i, rank) => (binOf[i] = Math.min(nBins - 1, Math.floor((rank * nBins) / n))));
  }
  const cnt = new Float64Array(nBins);
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  const lo = new Float64Array(nBins).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(nBins).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const b = binOf[i];
    cnt[b]++;
    sumP[b] += prob[i];
    sumY[b] += labels[i] === 1 ? 1 : 0;
    lo[b] = Math.min(lo[b], prob[i]);
    hi[b] = Math.max(hi[b], prob[i]);
  }
  let ece = 0;
  const bins: EceResult['bins'] = [];
  for (let b = 0; b < nBins; b++) {
    if (cnt[b] === 0) continue;
    const mp = sumP[b] / cnt[b];
    const or = sumY[b] / cnt[b];
    ece += (cnt[b] / n) * Math.abs(mp - or);
    bins.push({
      lower: strategy === 'width' ? b / nBins : lo[b],
      upper: strategy === 'width' ? (b + 1) / nBins : hi[b],
      count: cnt[b],
      meanPredicted: mp,
      observedRate: or,
    });
  }
  return { ece, bins };
}

/** Mean squared error of probabilities. */
export function brierScore(prob: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < prob.length; i++) s += (prob[i] - (labels[i] === 1 ? 1 : 0)) ** 2;
  return s / prob.length;
}
