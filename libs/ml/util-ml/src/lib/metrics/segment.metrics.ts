import { expectedCalibrationError } from './calibration.metrics';
import { aucRoc, averagePrecision } from './ranking.metrics';

export interface SegmentMetrics {
  count: number;
  positives: number;
  positiveRate: number;
  meanScore: number;
  aucRoc: number;
  averagePrecision: number;
  ece: number;
}

/** Metrics per segment value (e.g. region or payment method); AUC/AP are NaN where a segment has one class. */
export function metricsBySegment(segment: ArrayLike<string>, score: ArrayLike<number>, label: ArrayLike<number>): Record<string, SegmentMetrics> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < segment.length; i++) {
    let g = groups.get(segment[i]);
    if (!g) groups.set(segment[i], (g = []));
    g.push(i);
  }
  const out: Record<string, SegmentMetrics> = {};
  for (const [key, idx] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const s = idx.map((i) => score[i]);
    const y = idx.map((i) => label[i]);
    const positives = y.reduce((a, b) => a + (b === 1 ? 1 : 0), 0);
    out[key] = {
      count: idx.length,
      positives,
      positiveRate: positives / idx.length,
      meanScore: s.reduce((a, b) => a + b, 0) / idx.length,
      aucRoc: aucRoc(s, y),
      averagePrecision: averagePrecision(s, y),
      ece: expectedCalibrationError(s, y, 10, 'mass').ece,
    };
  }
  return out;
}
