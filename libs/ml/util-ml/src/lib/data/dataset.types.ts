import { DatasetInvalidError, TrainingAbortedError } from './ml.errors';
import { shuffledIndices } from './prng';

/** Row-major training matrix; weights default to 1 (e.g. down-weighting immature or indirect labels). */
export interface Dataset {
  X: Float32Array;
  nRows: number;
  nFeatures: number;
  y: Uint8Array;
  weights?: Float32Array;
}

export interface TrainingProgress {
  phase: string;
  /** Epoch for nets, boosting round for trees. */
  step: number;
  totalSteps: number;
  rowsProcessed: number;
  rowsPerSecond: number;
  trainLoss?: number;
  validationLoss?: number;
}

export type ProgressCallback = (p: TrainingProgress) => void;

export function assertDataset(d: Dataset, name = 'dataset'): void {
  if (!Number.isInteger(d.nRows) || !Number.isInteger(d.nFeatures) || d.nRows <= 0 || d.nFeatures <= 0) {
    throw new DatasetInvalidError(`${name}: nRows and nFeatures must be positive integers`);
  }
  if (d.X.length !== d.nRows * d.nFeatures) throw new DatasetInvalidError(`${name}: X length ${d.X.length} != nRows*nFeatures`);
  if (d.y.length !== d.nRows) throw new DatasetInvalidError(`${name}: y length ${d.y.length} != nRows`);
  if (d.weights && d.weights.length !== d.nRows) throw new DatasetInvalidError(`${name}: weights length != nRows`);
  for (let i = 0; i < d.nRows; i++) {
    if (d.y[i] > 1) throw new DatasetInvalidError(`${name}: labels must be 0/1`);
  }
}

/** Copies the given rows into a new dataset. */
export function takeRows(d: Dataset, rows: ArrayLike<number>): Dataset {
  const n = rows.length;
  const f = d.nFeatures;
  const X = new Float32Array(n * f);
  const y = new Uint8Array(n);
  const weights = d.weights ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    X.set(d.X.subarray(r * f, r * f + f), i * f);
    y[i] = d.y[r];
    if (weights && d.weights) weights[i] = d.weights[r];
  }
  return { X, nRows: n, nFeatures: f, y, weights };
}

/** Seeded random split; callers with time-ordered data should split by time themselves instead. */
export function splitHoldout(d: Dataset, fraction: number, seed: number): { train: Dataset; holdout: Dataset } {
  const idx = shuffledIndices(d.nRows, seed);
  const nHold = Math.max(1, Math.min(d.nRows - 1, Math.round(d.nRows * fraction)));
  const hold = Array.from(idx.subarray(0, nHold)).sort((a, b) => a - b);
  const train = Array.from(idx.subarray(nHold)).sort((a, b) => a - b);
  return { train: takeRows(d, train), holdout: takeRows(d, hold) };
}

/** Weights that make both classes sum to the same total (sklearn's 'balanced'). */
export function balancedClassWeights(y: Uint8Array, weights?: Float32Array): { neg: number; pos: number } {
  let wPos = 0;
  let wNeg = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i] : 1;
    if (y[i] === 1) wPos += w;
    else wNeg += w;
  }
  const total = wPos + wNeg;
  if (wPos === 0 || wNeg === 0) return { neg: 1, pos: 1 };
  return { neg: total / (2 * wNeg), pos: total / (2 * wPos) };
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new TrainingAbortedError();
}
