/**
 * Trees flattened into parallel arrays (preorder). A node is a leaf when feature[n] < 0.
 * Rows go left when x[feature] <= threshold; NaN goes right (the bin holding values above every edge).
 */
export interface GbdtModel {
  nFeatures: number;
  /** Initial margin (log-odds of the weighted base rate). */
  baseScore: number;
  treeRoots: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf margin, shrinkage already applied. */
  value: Float64Array;
}
