import type { Calibration } from '../calibration/calibration';
import type { GbdtModel } from '../models/gbdt.types';
import type { NetworkWeights } from '../models/network.types';
import type { Preprocessing } from '../preprocessing/standard-scaler';

export const BUNDLE_FORMAT = 'checkout-risk-model';
export const BUNDLE_FORMAT_VERSION = 1;

export type ModelType = 'logistic' | 'mlp' | 'gbdt' | 'blend';

/** Network components read preprocessed features; tree components read raw features (splits are scale-free). */
export type ModelComponent =
  | { kind: 'network'; blendWeight: number; network: NetworkWeights }
  | { kind: 'gbdt'; blendWeight: number; trees: GbdtModel };

/**
 * The versioned artifact: preprocessing + model + calibration. The margin is the blend-weighted sum of the
 * component margins; the calibrated probability is calibration(margin).
 */
export interface ModelBundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  modelType: ModelType;
  featureSet: { name: string; version: number };
  featureNames: string[];
  preprocessing: Preprocessing;
  components: ModelComponent[];
  calibration: Calibration;
  trainedAt: string;
  seed: number;
  metricsSummary: Record<string, number>;
  /** Free-form provenance (data window, maturity cut-off, code commit). */
  lineage: Record<string, string | number | boolean | null>;
}
