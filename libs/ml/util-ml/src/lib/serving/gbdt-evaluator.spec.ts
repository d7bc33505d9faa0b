import type { GbdtModel } from '../models/gbdt.types';
import { compileGbdt } from './gbdt-evaluator';

// One tree: x0 <= 0.5 ? (x1 <= 2 ? 1 : 2) : 3, base 0.25.
const preorder: GbdtModel = {
  nFeatures: 2,
  baseScore: 0.25,
  treeRoots: Int32Array.from([0]),
  feature: Int32Array.from([0, 1, -1, -1, -1]),
  threshold: Float32Array.from([0.5, 2, 0, 0, 0]),
  left: Int32Array.from([1, 2, -1, -1, -1]),
  right: Int32Array.from([4, 3, -1, -1, -1]),
  value: Float64Array.from([0, 0, 1, 2, 3]),
};
// Same tree with the children stored in another order (not preorder): exercises the generic walk.
const shuffled: GbdtModel = {
  ...preorder,
  feature: Int32Array.from([0, -1, 1, -1, -1]),
  threshold: Float32Array.from([0.5, 0, 2, 0, 0]),
  left: Int32Array.from([2, -1, 3, -1, -1]),
  right: Int32Array.from([1, -1, 4, -1, -1]),
  value: Float64Array.from([0, 3, 0, 1, 2]),
};

describe('compileGbdt', () => {
  it.each([
    ['preorder', preorder],
    ['generic', shuffled],
  ])('walks %s trees: <= goes left, NaN goes right', (_, model) => {
    const f = compileGbdt(model);
    expect(f(Float32Array.from([0.5, 2]))).toBe(1.25);
    expect(f(Float32Array.from([0.1, 2.5]))).toBe(2.25);
    expect(f(Float32Array.from([0.6, 0]))).toBe(3.25);
    expect(f(Float32Array.from([Number.NaN, 0]))).toBe(3.25);
    expect(f(Float32Array.from([9, 9, 0.1, 1]), 2)).toBe(1.25);
  });
});
