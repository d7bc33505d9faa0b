import type { GbdtModel } from '../models/gbdt.types';

/**
 * Flat-array tree walk returning the margin (log-odds) for one row; allocation-free.
 * Trees from trainGbdt are preorder (left child = node + 1), which allows a compact layout: int16 feature,
 * float32 threshold and int32 right child, ~10 bytes a node, so 300 depth-6 trees stay in L2.
 */
export function compileGbdt(m: GbdtModel): (x: Float32Array, offset?: number) => number {
  const n = m.feature.length;
  const { treeRoots, threshold, value, baseScore } = m;
  const nTrees = treeRoots.length;
  let preorder = m.nFeatures < 32768;
  for (let i = 0; i < n && preorder; i++) if (m.feature[i] >= 0 && m.left[i] !== i + 1) preorder = false;
  if (preorder) {
    const feature = Int16Array.from(m.feature);
    const right = m.right;
    return (x, offset = 0) => {
      let s = baseScore;
      for (let t = 0; t < nTrees; t++) {
        let k = treeRoots[t];
        let f = feature[k];
        while (f >= 0) {
          k = x[offset + f] <= threshold[k] ? k + 1 : right[k];
          f = feature[k];
        }
        s += value[k];
      }
      return s;
    };
  }
  const { feature, left, right } = m;
  return (x, offset = 0) => {
    let s = baseScore;
    for (let t = 0; t < nTrees; t++) {
      let k = treeRoots[t];
      let f = feature[k];
      while (f >= 0) {
        k = x[offset + f] <= threshold[k] ? left[k] : right[k];
        f = feature[k];
      }
      s += value[k];
    }
    return s;
  };
}
