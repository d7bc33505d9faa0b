import type { ModelLoader, ModelRef, ModelScorer } from '../decision.ports';
import { assertBundleFeatures, loadScorer, parseBundle } from '@risk/ml';

/**
 * Artifact bytes → scorer with @risk/ml: checksum and bundle consistency (`parseBundle`), then the model must have
 * been built for exactly the served feature set and column order (`assertBundleFeatures`). Any failure throws,
 * so the model manager refuses the artifact (model_error) and keeps what it had.
 */
export function mlModelLoader(featureSet: { name: string; version: number; featureNames: readonly string[] }): ModelLoader {
  return (bytes: Uint8Array, ref: ModelRef): ModelScorer => {
    const bundle = parseBundle(bytes, ref.sha256);
    assertBundleFeatures(bundle, { name: featureSet.name, version: featureSet.version }, featureSet.featureNames);
    const scorer = loadScorer(bundle);
    return { version: ref.version, featureNames: bundle.featureNames, predict: (row) => scorer.predict(row) };
  };
}
