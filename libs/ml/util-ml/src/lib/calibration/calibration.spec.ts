import { Prng } from '../data/prng';
import { expectedCalibrationError } from '../metrics/calibration.metrics';
import { sigmoid } from '../serving/dense-forward';
import { compileCalibration, fitIsotonic, fitPlatt } from './calibration';

function miscalibrated(n: number, seed: number) {
  // True p = sigmoid(0.5 z - 2), but the "model" reports sigmoid(z): overconfident and biased.
  const rng = new Prng(seed);
  const z = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = rng.normal() * 3;
    y[i] = rng.next() < sigmoid(0.5 * z[i] - 2) ? 1 : 0;
  }
  return { z, y };
}

describe('calibration', () => {
  it('Platt scaling recovers the true slope and intercept', () => {
    const { z, y } = miscalibrated(20_000, 1);
    const c = fitPlatt(z, y);
    if (c.kind !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeCloseTo(0.5, 1);
    expect(c.b).toBeCloseTo(-2, 1);
  });

  it('isotonic pools adjacent violators and interpolates between block ends', () => {
    const c = fitIsotonic([1, 2, 3, 4, 5], [1, 0, 1, 0, 1]);
    // (1,2) pool to .5, (3,4) pool to .5 and merge with the first block; 5 stays 1.
    expect(c).toEqual({ kind: 'isotonic', x: [1, 4, 5], y: [0.5, 0.5, 1] });
    const f = compileCalibration(c);
    expect(f(0)).toBe(0.5);
    expect(f(4.5)).toBeCloseTo(0.75, 12);
    expect(f(6)).toBe(1);
    expect(f(Number.NaN)).toBe(0.5);
  });

  it('both methods reduce ECE on held-out data', () => {
    const fit = miscalibrated(10_000, 2);
    const test = miscalibrated(10_000, 3);
    const raw = Array.from(test.z, sigmoid);
    const before = expectedCalibrationError(raw, test.y, 10).ece;
    for (const c of [fitPlatt(fit.z, fit.y), fitIsotonic(fit.z, fit.y)]) {
      const f = compileCalibration(c);
      const after = expectedCalibrationError(Array.from(test.z, f), test.y, 10).ece;
      expect(after).toBeLessThan(before / 3);
      expect(after).toBeLessThan(0.02);
    }
  });
});
