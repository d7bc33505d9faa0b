import type { GbdtModel } from '../models/gbdt.types';

/** Flat-array tree walk returning the margin (log-odds) for one row; allocation-free. */
export function compileGbdt(m: GbdtModel): (x: Float32Array, offset?: number) => number {
  const { treeRoots, feature, threshold, left, right, value, baseScore } = m;
  const nTrees = treeRoots.length;
  return (x, offset = 0) => {
    let s = baseScore;
    for (let t = 0; t < nTrees; t++) {
      let n = treeRoots[t];
      let f = feature[n];
      while (f >= 0) {
        n = x[offset + f] <= threshold[n] ? left[n] : right[n];
        f = feature[n];
      }
      s += value[n];
    }
    return s;
  };
}
