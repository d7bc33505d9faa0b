import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleSha256, serializeBundle, type ModelBundle } from '@risk/ml';

/**
 * Test and benchmark fixture: a real @risk/ml logistic bundle (one linear network layer, no calibration) with
 * hand-set weights, so the caller knows the exact probability sigmoid(bias + Σ w·x). Unlisted features weigh 0.
 */
export function linearMlBundle(o: {
  featureSet: { name: string; version: number };
  featureNames: readonly string[];
  weights: Record<string, number>;
  bias: number;
  tag?: string;
}): { bundle: ModelBundle; bytes: Buffer; sha256: string } {
  const n = o.featureNames.length;
  const bundle: ModelBundle = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    modelType: 'logistic',
    featureSet: o.featureSet,
    featureNames: [...o.featureNames],
    preprocessing: { kind: 'identity' },
    components: [
      {
        kind: 'network',
        blendWeight: 1,
        network: { layers: [{ inSize: n, outSize: 1, activation: 'linear', kernel: Float32Array.from(o.featureNames, (f) => o.weights[f] ?? 0), bias: Float32Array.of(o.bias) }] },
      },
    ],
    calibration: { kind: 'none' },
    trainedAt: '2026-11-25T00:00:00.000Z',
    seed: 1,
    metricsSummary: {},
    lineage: { fixture: o.tag ?? 'test' },
  };
  const bytes = serializeBundle(bundle);
  return { bundle, bytes, sha256: bundleSha256(bytes) };
}
