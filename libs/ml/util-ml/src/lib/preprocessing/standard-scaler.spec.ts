import { compilePreprocessing, fitStandardScaler, transformDataset } from './standard-scaler';

describe('standard scaler', () => {
  const d = { X: Float32Array.from([1, 5, 3, 5, 5, 5]), nRows: 3, nFeatures: 2, y: Uint8Array.from([0, 1, 0]) };

  it('fits mean and population std per feature and guards a constant feature', () => {
    const s = fitStandardScaler(d);
    expect(s.mean).toEqual([3, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(1);
    const t = transformDataset(s, d);
    expect(Array.from(t.X.filter((_, i) => i % 2 === 1))).toEqual([0, 0, 0]);
    expect(t.X[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 6);
  });

  it('clips standardised values and survives a JSON round trip', () => {
    const s = JSON.parse(JSON.stringify(fitStandardScaler(d, 1)));
    const f = compilePreprocessing(s, 2);
    const out = new Float32Array(2);
    f(Float32Array.from([100, -100]), out);
    expect(Array.from(out)).toEqual([1, -1]);
  });
});
