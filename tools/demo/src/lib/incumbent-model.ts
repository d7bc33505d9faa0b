import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleSha256, serializeBundle, type ModelBundle } from '@risk/ml';
import { checkoutFeatureSet } from '@risk/feature-sets';

/**
 * The legacy rules' signals as a one-layer logistic @risk/ml bundle over the served checkout feature set: the
 * incumbent production model the first trained model is compared with. Weights are hand-set, not learned.
 */
export const INCUMBENT_WEIGHTS: Readonly<Record<string, number>> = {
  bin_country_ne_ip: 4,
  bin_country_ne_shipping: 1.5,
  ip_country_ne_shipping: 1,
  is_guest: 0.8,
  digital_goods: 0.8,
  high_risk_category: 1.2,
  channel_api: 0.6,
  new_card_for_account: 0.8,
  new_device_for_account: 0.8,
  log_amount: 0.15,
  card_distinct_accounts_7d: 0.4,
  device_distinct_cards_24h: 0.4,
  account_chargebacks_90d: 1.5,
};
export const INCUMBENT_BIAS = -6;

export function incumbentBundle(): { bytes: Buffer; sha256: string; featureSet: { name: string; version: number } } {
  const names = checkoutFeatureSet.featureNames;
  const featureSet = { name: checkoutFeatureSet.name, version: checkoutFeatureSet.version };
  const bundle: ModelBundle = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    modelType: 'logistic',
    featureSet,
    featureNames: [...names],
    preprocessing: { kind: 'identity' },
    components: [
      {
        kind: 'network',
        blendWeight: 1,
        network: { layers: [{ inSize: names.length, outSize: 1, activation: 'linear', kernel: Float32Array.from(names, (f) => INCUMBENT_WEIGHTS[f] ?? 0), bias: Float32Array.of(INCUMBENT_BIAS) }] },
      },
    ],
    calibration: { kind: 'none' },
    trainedAt: '2026-11-01T00:00:00.000Z',
    seed: 1,
    metricsSummary: {},
    lineage: { source: 'legacy-rules', note: 'hand-set weights' },
  };
  const bytes = serializeBundle(bundle);
  return { bytes, sha256: bundleSha256(bytes), featureSet };
}
