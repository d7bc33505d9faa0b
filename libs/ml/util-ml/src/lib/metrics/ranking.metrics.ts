type Scores = ArrayLike<number>;
type Labels = ArrayLike<number>;

/** Indices sorted by descending score (stable). NaN scores are rejected: they would make the order undefined. */
function orderDesc(scores: Scores): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    idx[i] = i;
  }
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

function counts(labels: Labels): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) pos++;
  return { pos, neg: labels.length - pos };
}

/** Cumulative TP/FP at each distinct threshold, highest first (sklearn's _binary_clf_curve). */
export function thresholdCurve(scores: Scores, labels: Labels): { thresholds: number[]; tps: number[]; fps: number[]; pos: number; neg: number } {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  const idx = orderDesc(scores);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (labels[i] === 1) tp++;
    else fp++;
    if (k === idx.length - 1 || scores[idx[k + 1]] !== scores[i]) {
      thresholds.push(scores[i]);
      tps.push(tp);
      fps.push(fp);
    }
  }
  const { pos, neg } = counts(labels);
  return { thresholds, tps, fps, pos, neg };
}

/** AUC ROC via the rank statistic; tied scores get average ranks (counts half). NaN with a single class. */
export function aucRoc(scores: Scores, labels: Labels): number {
  const { tps, fps, pos, neg } = thresholdCurve(scores, labels);
  if (pos === 0 || neg === 0) return Number.NaN;
  // Trapezoids over the ROC steps equal the tie-corrected Mann-Whitney U.
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tps.length; k++) {
    area += ((fps[k] - prevFp) * (tps[k] + prevTp)) / 2;
    prevTp = tps[k];
    prevFp = fps[k];
  }
  return area / (pos * neg);
}

/** sklearn's average_precision_score: sum over thresholds of (R_n - R_{n-1}) * P_n. NaN without positives. */
export function averagePrecision(scores: Scores, labels: Labels): number {
  const { tps, fps, pos } = thresholdCurve(scores, labels);
  if (pos === 0) return Number.NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const recall = tps[k] / pos;
    ap += (recall - prevRecall) * (tps[k] / (tps[k] + fps[k]));
    prevRecall = recall;
  }
  return ap;
}

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number;
}

/** Keeps the first and last points and evenly spaced ones between, at most maxPoints. */
export function downsample<T>(points: T[], maxPoints = 200): T[] {
  if (points.length <= maxPoints) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * step)]);
  return out;
}

/** ROC points (x = FPR, y = TPR) from (0,0), downsampled for the registry UI. */
export function rocCurve(scores: Scores, labels: Labels, maxPoints = 200): CurvePoint[] {
  const { thresholds, tps, fps, pos, neg } = thresholdCurve(scores, labels);
  const pts: CurvePoint[] = [{ x: 0, y: 0, threshold: Number.POSITIVE_INFINITY }];
  for (let k = 0; k < tps.length; k++) pts.push({ x: neg ? fps[k] / neg : 0, y: pos ? tps[k] / pos : 0, threshold: thresholds[k] });
  return downsample(pts, maxPoints);
}

/** PR points (x = recall, y = precision), highest threshold first, downsampled. */
export function prCurve(scores: Scores, labels: Labels, maxPoints = 200): CurvePoint[] {
  const { thresholds, tps, fps, pos } = thresholdCurve(scores, labels);
  const pts: CurvePoint[] = [];
  for (let k = 0; k < tps.length; k++) pts.push({ x: pos ? tps[k] / pos : 0, y: tps[k] / (tps[k] + fps[k]), threshold: thresholds[k] });
  return downsample(pts, maxPoints);
}

/** Highest recall whose false-positive rate (false-decline rate among legitimate) stays <= maxFpr. */
export function recallAtFpr(scores: Scores, labels: Labels, maxFpr: number): { recall: number; fpr: number; threshold: number } {
  const { thresholds, tps, fps, pos, neg } = thresholdCurve(scores, labels);
  let best = { recall: 0, fpr: 0, threshold: Number.POSITIVE_INFINITY };
  for (let k = 0; k < tps.length; k++) {
    const fpr = neg ? fps[k] / neg : 0;
    if (fpr > maxFpr) break;
    best = { recall: pos ? tps[k] / pos : 0, fpr, threshold: thresholds[k] };
  }
  return best;
}
