import type { ScoringRequest } from '@risk/contract-events';
import type { FeatureValues } from '../decision.ports';

const DAY_MS = 86_400_000;

/** Names of the request-time features: computable from the request alone, so they survive any outage. */
export const REQUEST_FEATURE_NAMES = [
  'rt_log_amount',
  'rt_account_age_days',
  'rt_is_guest',
  'rt_new_account',
  'rt_ip_bin_country_mismatch',
  'rt_ship_bin_country_mismatch',
  'rt_ip_ship_country_mismatch',
  'rt_digital_goods',
  'rt_high_risk_category',
  'rt_item_count',
  'rt_express_shipping',
  'rt_channel_api',
  'rt_hour_utc',
] as const;

/** Pure and allocation-light: runs on every request, including the cheap path. */
export function requestFeatures(r: ScoringRequest): FeatureValues {
  const occurred = Date.parse(r.occurredAt);
  const ageDays = Math.max(0, (occurred - Date.parse(r.shopper.accountCreatedAt)) / DAY_MS);
  const binCountry = r.payment.card?.country;
  const ipCountry = r.device.ipCountry;
  const shipCountry = r.shipping.address.country;
  return {
    rt_log_amount: Math.log1p(r.amount.value),
    rt_account_age_days: Math.min(ageDays, 3650),
    rt_is_guest: r.shopper.isGuest ? 1 : 0,
    rt_new_account: ageDays < 1 ? 1 : 0,
    rt_ip_bin_country_mismatch: binCountry && ipCountry && binCountry !== ipCountry ? 1 : 0,
    rt_ship_bin_country_mismatch: binCountry && binCountry !== shipCountry ? 1 : 0,
    rt_ip_ship_country_mismatch: ipCountry && ipCountry !== shipCountry ? 1 : 0,
    rt_digital_goods: r.items.digitalGoods ? 1 : 0,
    rt_high_risk_category: r.items.highRiskCategory ? 1 : 0,
    rt_item_count: r.items.count,
    rt_express_shipping: r.shipping.method === 'express' ? 1 : 0,
    rt_channel_api: r.channel === 'api' ? 1 : 0,
    rt_hour_utc: Number.isFinite(occurred) ? new Date(occurred).getUTCHours() : 0,
  };
}

/** Encodes named values into the model's column order; absent values become 0 (the models are trained that way). */
export function encodeRow(names: readonly string[], ...sources: FeatureValues[]): Float32Array {
  const row = new Float32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    for (const s of sources) {
      const v = s[n];
      if (v !== undefined && Number.isFinite(v)) {
        row[i] = v;
        break;
      }
    }
  }
  return row;
}
