import type { Dataset } from './dataset.types';
import { Prng } from './prng';

/**
 * Seeded imbalanced data with a linear part and interactions/thresholds a linear model cannot express,
 * so stronger models have something to win. Labels are Bernoulli draws (noisy, not separable).
 */
export function makeSyntheticFraudData(nRows: number, nFeatures: number, seed: number): Dataset & { amount: Float32Array; segment: string[] } {
  if (nFeatures < 6) throw new RangeError('need at least 6 features');
  const rng = new Prng(seed);
  const X = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  const amount = new Float32Array(nRows);
  const segment: string[] = [];
  for (let r = 0; r < nRows; r++) {
    const o = r * nFeatures;
    for (let f = 0; f < nFeatures; f++) X[o + f] = rng.normal();
    // A heavy-tailed amount-like feature.
    X[o + 5] = Math.round(Math.exp(3 + 0.8 * X[o + 5]) * 100) / 100;
    amount[r] = X[o + 5];
    const z =
      -4.2 +
      0.9 * X[o] +
      0.5 * X[o + 1] +
      (X[o + 2] * X[o + 3] > 0.6 ? 2.6 : 0) +
      (Math.abs(X[o + 4]) > 1.6 ? 2.2 : 0) +
      (X[o + 5] > 120 ? 2.5 : 0);
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    segment.push(X[o + 1] > 0 ? 'EU' : 'US');
  }
  return { X, nRows, nFeatures, y, amount, segment };
}
