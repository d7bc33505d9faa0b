import { assertBundleFeatures, loadScorer, parseBundle } from '@risk/ml';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { INCUMBENT_BIAS, INCUMBENT_WEIGHTS, incumbentBundle } from './incumbent-model';

describe('incumbent model bundle', () => {
  it('is a valid @risk/ml bundle for exactly the served checkout feature set, scoring sigmoid(bias + w·x)', () => {
    const { bytes, sha256 } = incumbentBundle();
    const bundle = parseBundle(bytes, sha256);
    expect(() => assertBundleFeatures(bundle, { name: checkoutFeatureSet.name, version: checkoutFeatureSet.version }, checkoutFeatureSet.featureNames)).not.toThrow();
    const scorer = loadScorer(bundle);
    const names = checkoutFeatureSet.featureNames;
    const row = new Float32Array(names.length);
    expect(scorer.predict(row)).toBeCloseTo(1 / (1 + Math.exp(-INCUMBENT_BIAS)), 5);
    row[names.indexOf('bin_country_ne_ip')] = 1;
    expect(scorer.predict(row)).toBeCloseTo(1 / (1 + Math.exp(-(INCUMBENT_BIAS + (INCUMBENT_WEIGHTS['bin_country_ne_ip'] ?? 0)))), 5);
  });
});
