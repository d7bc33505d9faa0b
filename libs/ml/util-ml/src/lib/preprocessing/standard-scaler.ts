import type { Dataset } from '../data/dataset.types';

/** Serialisable standard scaler; `clip` bounds the standardised value (e.g. 5 sigma) to tame outliers. */
export interface StandardScalerParams {
  kind: 'standard';
  mean: number[];
  std: number[];
  clip: number | null;
}

export interface IdentityPreprocessing {
  kind: 'identity';
}

export type Preprocessing = StandardScalerParams | IdentityPreprocessing;

/** Fits on the given (training) rows only; std 0 maps to 1 so a constant feature becomes 0. */
export function fitStandardScaler(d: Dataset, clip: number | null = null): StandardScalerParams {
  const f = d.nFeatures;
  const mean = new Float64Array(f);
  const m2 = new Float64Array(f);
  for (let r = 0; r < d.nRows; r++) {
    const o = r * f;
    const n = r + 1;
    for (let j = 0; j < f; j++) {
      // Welford: stable for large counts and large magnitudes (amounts).
      const x = d.X[o + j];
      const delta = x - mean[j];
      mean[j] += delta / n;
      m2[j] += delta * (x - mean[j]);
    }
  }
  const std: number[] = [];
  for (let j = 0; j < f; j++) {
    const s = Math.sqrt(m2[j] / d.nRows);
    std.push(s > 1e-12 && Number.isFinite(s) ? s : 1);
  }
  return { kind: 'standard', mean: Array.from(mean), std, clip };
}

/**
 * Compiled transform writing into `out` (allocation-free). Math is float64 then stored as float32 so training
 * (via transformDataset) and serving see exactly the same inputs.
 */
export function compilePreprocessing(p: Preprocessing, nFeatures: number): (row: Float32Array, out: Float32Array, rowOffset?: number) => void {
  if (p.kind === 'identity') {
    return (row, out, o = 0) => {
      for (let j = 0; j < nFeatures; j++) out[j] = row[o + j];
    };
  }
  const mean = Float64Array.from(p.mean);
  const inv = Float64Array.from(p.std, (s) => 1 / s);
  const clip = p.clip;
  if (clip === null) {
    return (row, out, o = 0) => {
      for (let j = 0; j < nFeatures; j++) out[j] = (row[o + j] - mean[j]) * inv[j];
    };
  }
  return (row, out, o = 0) => {
    for (let j = 0; j < nFeatures; j++) {
      const z = (row[o + j] - mean[j]) * inv[j];
      out[j] = z > clip ? clip : z < -clip ? -clip : z;
    }
  };
}

export function transformDataset(p: Preprocessing, d: Dataset): Dataset {
  if (p.kind === 'identity') return d;
  const f = d.nFeatures;
  const X = new Float32Array(d.X.length);
  const apply = compilePreprocessing(p, f);
  const tmp = new Float32Array(f);
  for (let r = 0; r < d.nRows; r++) {
    apply(d.X, tmp, r * f);
    X.set(tmp, r * f);
  }
  return { ...d, X };
}
