import { DatasetInvalidError } from './ml.errors';
import { assertDataset, balancedClassWeights, splitHoldout } from './dataset.types';
import { Prng, shuffledIndices } from './prng';

describe('dataset helpers', () => {
  const n = 100;
  const d = {
    X: Float32Array.from({ length: n * 2 }, (_, i) => i),
    nRows: n,
    nFeatures: 2,
    y: Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0)),
  };

  it('splits into disjoint, complete, seed-stable parts', () => {
    const a = splitHoldout(d, 0.2, 7);
    const b = splitHoldout(d, 0.2, 7);
    expect(a.holdout.nRows).toBe(20);
    expect(a.train.nRows).toBe(80);
    const rowIds = (x: { X: Float32Array; nRows: number }) => Array.from({ length: x.nRows }, (_, i) => x.X[i * 2] / 2);
    const all = [...rowIds(a.train), ...rowIds(a.holdout)].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(rowIds(b.holdout)).toEqual(rowIds(a.holdout));
    expect(rowIds(splitHoldout(d, 0.2, 8).holdout)).not.toEqual(rowIds(a.holdout));
  });

  it('balanced class weights give both classes equal total weight', () => {
    const w = balancedClassWeights(d.y);
    expect(w.pos * 10).toBeCloseTo(w.neg * 90, 12);
    expect(w.pos * 10 + w.neg * 90).toBeCloseTo(100, 12);
  });

  it('rejects inconsistent datasets', () => {
    expect(() => assertDataset({ ...d, nRows: 99 })).toThrow(DatasetInvalidError);
    expect(() => assertDataset({ ...d, y: Uint8Array.from({ length: n }, () => 2) })).toThrow(DatasetInvalidError);
    expect(() => assertDataset({ ...d, weights: new Float32Array(3) })).toThrow(DatasetInvalidError);
  });

  it('the PRNG is deterministic per seed', () => {
    expect(Array.from(shuffledIndices(10, 3))).toEqual(Array.from(shuffledIndices(10, 3)));
    const r = new Prng(1);
    const xs = Array.from({ length: 1000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / 1000).toBeCloseTo(0.5, 1);
  });
});
