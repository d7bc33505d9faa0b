import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  defineEntity,
  defineFeatureSet,
  defineWindowedView,
  ratioFeature,
  requestFeature,
  windowFeature,
} from '@risk/feature-engine';
import type { EngineEvent, EntityDef, FeatureVector, WindowedViewDef } from '@risk/feature-engine';

/** Engine event types: the contract event types, one to one. */
export const CHECKOUT_EVENT = {
  started: 'checkout.started',
  authorised: 'payment.authorised',
  declined: 'payment.declined',
  stepUp: 'stepup.completed',
  review: 'review.completed',
  fulfilled: 'order.fulfilled',
  refund: 'refund.issued',
  chargeback: 'chargeback.received',
  label: 'label.confirmed',
} as const;

const E = CHECKOUT_EVENT;

export const account = defineEntity({ name: 'account', keyField: 'subject.accountToken', description: 'shopper account token' });
export const card = defineEntity({ name: 'card', keyField: 'subject.cardToken', description: 'PSP card token (never the PAN)' });
export const device = defineEntity({ name: 'device', keyField: 'subject.deviceToken', description: 'device fingerprint token' });
export const ip = defineEntity({ name: 'ip', keyField: 'subject.ipToken', description: 'IP address token' });
export const email = defineEntity({ name: 'email', keyField: 'subject.emailToken', description: 'e-mail token' });
export const address = defineEntity({ name: 'address', keyField: 'subject.addressToken', description: 'shipping address token' });
export const merchant = defineEntity({ name: 'merchant', keyField: 'subject.merchantId', description: 'merchant id' });
export const paymentMethod = defineEntity({ name: 'payment_method', keyField: 'subject.paymentMethodId', description: 'payment method id' });
export const bin = defineEntity({ name: 'bin', keyField: 'subject.bin', description: 'card BIN (6-8 digits, not personal)' });

/** Out-of-order tolerance of the event log: older events than (newest - 10 min) for an entity are dropped. */
export const CHECKOUT_LATENESS = 10 * MINUTE;
/** Chargebacks arrive days to ~10 weeks late; rates read the month that ended 30 days ago. */
export const CHECKOUT_LABEL_DELAY = 30 * DAY;

const num = (field: string) => (e: EngineEvent): number => {
  const v = e.values[field];
  return typeof v === 'number' ? v : v === true ? 1 : 0;
};
const amount = num('amount');
const flag = (field: string, value: string) => (e: EngineEvent): number => (e.values[field] === value ? 1 : 0);
const key = (entity: string) => (e: EngineEvent): string | undefined => e.entities[entity];

// Resolution is chosen per entity: exact seconds for personal entities (few events each), coarse buckets for
// merchant/BIN/payment method (thousands of events a day) so each state blob stays a few KB.
interface ViewOpts {
  resolution?: number;
  includeCurrent?: boolean;
  value?: (e: EngineEvent) => number;
  distinct?: (e: EngineEvent) => string | undefined;
}
const view = (name: string, entity: Parameters<typeof defineWindowedView>[0]['entity'], events: readonly string[], o: ViewOpts = {}): WindowedViewDef =>
  defineWindowedView({ name, entity, events, lateness: CHECKOUT_LATENESS, resolution: SECOND, ...o });

const ATTEMPT_OUTCOMES = [E.authorised, E.declined];

// account
const acctCheckouts = view('account_checkouts', account, [E.started], { value: amount });
const acctHistory = view('account_history', account, [E.started], { value: amount, includeCurrent: false, resolution: MINUTE });
const acctAuth = view('account_auth_attempts', account, ATTEMPT_OUTCOMES);
const acctDeclines = view('account_declines', account, [E.declined]);
const acctStepUp = view('account_stepup_failed', account, [E.stepUp], { value: flag('outcome', 'failed'), resolution: MINUTE });
const acctReview = view('account_review_rejected', account, [E.review], { value: flag('outcome', 'rejected'), resolution: HOUR });
const acctRefunds = view('account_refunds', account, [E.refund], { resolution: HOUR });
const acctChargebacks = view('account_chargebacks', account, [E.chargeback], { resolution: HOUR });
// card
const cardCheckouts = view('card_checkouts', card, [E.started], { value: amount, distinct: key('account') });
const cardAuth = view('card_auth_attempts', card, ATTEMPT_OUTCOMES);
const cardDeclines = view('card_declines', card, [E.declined]);
const cardChargebacks = view('card_chargebacks', card, [E.chargeback], { resolution: HOUR });
// device / ip / email / address
const deviceCards = view('device_cards', device, [E.started], { distinct: key('card') });
const deviceAccounts = view('device_accounts', device, [E.started], { distinct: key('account'), resolution: MINUTE });
const ipAccounts = view('ip_accounts', ip, [E.started], { distinct: key('account'), resolution: MINUTE });
const ipDeclines = view('ip_declines', ip, [E.declined], { resolution: MINUTE });
const emailCards = view('email_cards', email, [E.started], { distinct: key('card'), resolution: MINUTE });
const addressAccounts = view('address_accounts', address, [E.started], { distinct: key('account'), resolution: MINUTE });
// "seen before" pairs (the request itself excluded); day buckets: the 90-day look-back edge is day-granular
const acctDevice = view('account_device', [account, device], [E.started], { includeCurrent: false, resolution: DAY });
const acctAddress = view('account_address', [account, address], [E.started], { includeCurrent: false, resolution: DAY });
const acctCard = view('account_card', [account, card], [E.started], { includeCurrent: false, resolution: DAY });
// merchant / BIN / payment method: coarse buckets
const merchantCheckouts = view('merchant_checkouts', merchant, [E.started], { resolution: 5 * MINUTE });
const merchantAuth = view('merchant_auth_attempts', merchant, ATTEMPT_OUTCOMES, { resolution: HOUR });
const merchantDeclines = view('merchant_declines', merchant, [E.declined], { resolution: HOUR });
const merchantFulfilled = view('merchant_fulfilled', merchant, [E.fulfilled], { resolution: DAY });
const merchantRefunds = view('merchant_refunds', merchant, [E.refund], { resolution: DAY });
const delayedLabels = (name: string, entity: EntityDef, labelEvents: string[], labelValue?: (e: EngineEvent) => number): WindowedViewDef =>
  defineWindowedView({
    name,
    entity,
    events: [E.started],
    labels: { events: labelEvents, value: labelValue },
    labelDelay: CHECKOUT_LABEL_DELAY,
    resolution: DAY,
    lateness: CHECKOUT_LATENESS,
  });
const isFraud = (e: EngineEvent): number => (e.values['label'] === 'fraud' ? 1 : 0);
const merchantChargebackLabels = delayedLabels('merchant_chargeback_labels', merchant, [E.chargeback]);
const merchantFraudLabels = delayedLabels('merchant_fraud_labels', merchant, [E.label], isFraud);
const binCheckouts = view('bin_checkouts', bin, [E.started], { resolution: MINUTE });
const binAuth = view('bin_auth_attempts', bin, ATTEMPT_OUTCOMES, { resolution: HOUR });
const binDeclines = view('bin_declines', bin, [E.declined], { resolution: HOUR });
const binFraudLabels = delayedLabels('bin_fraud_labels', bin, [E.label], isFraud);
const pmAuth = view('payment_method_auth_attempts', paymentMethod, ATTEMPT_OUTCOMES, { resolution: HOUR });
const pmDeclines = view('payment_method_declines', paymentMethod, [E.declined], { resolution: HOUR });
const pmFraudLabels = delayedLabels('payment_method_fraud_labels', paymentMethod, [E.label], isFraud);

const str = (r: EngineEvent, f: string): string | undefined => (typeof r.values[f] === 'string' ? (r.values[f] as string) : undefined);
const differs = (a: string, b: string) => (r: EngineEvent): boolean | undefined => {
  const x = str(r, a);
  const y = str(r, b);
  return x === undefined || y === undefined ? undefined : x !== y;
};

export const checkoutFeatureSet = defineFeatureSet({
  name: 'checkout',
  version: 1,
  features: [
    // the request itself
    requestFeature('amount', { compute: amount }),
    requestFeature('log_amount', { compute: (r) => Math.log1p(amount(r)) }),
    requestFeature('account_age_days', {
      compute: (r) => (typeof r.values['accountCreatedAt'] === 'number' ? Math.max(0, (r.time - (r.values['accountCreatedAt'] as number)) / DAY) : undefined),
    }),
    requestFeature('is_guest', { dtype: 'bool', compute: (r) => r.values['isGuest'] === true }),
    requestFeature('bin_country_ne_shipping', { dtype: 'bool', compute: differs('binCountry', 'shippingCountry') }),
    requestFeature('bin_country_ne_ip', { dtype: 'bool', compute: differs('binCountry', 'ipCountry') }),
    requestFeature('ip_country_ne_shipping', { dtype: 'bool', compute: differs('ipCountry', 'shippingCountry') }),
    requestFeature('cross_border', { dtype: 'bool', compute: differs('shippingCountry', 'merchantCountry') }),
    requestFeature('digital_goods', { dtype: 'bool', compute: (r) => r.values['digitalGoods'] === true }),
    requestFeature('high_risk_category', { dtype: 'bool', compute: (r) => r.values['highRiskCategory'] === true }),
    requestFeature('item_count', { dtype: 'int32', compute: num('itemCount') }),
    requestFeature('fast_shipping', { dtype: 'bool', compute: (r) => r.values['shippingMethod'] === 'express' || r.values['shippingMethod'] === 'digital' }),
    requestFeature('channel_api', { dtype: 'bool', compute: (r) => r.values['channel'] === 'api' }),
    requestFeature('payment_is_card', { dtype: 'bool', compute: (r) => r.values['paymentType'] === 'card' }),
    requestFeature('hour_of_day', { dtype: 'int32', compute: (r) => Math.floor((r.time % DAY) / HOUR) }),
    // account velocity and amount against its own history
    windowFeature('account_checkouts_1h', acctCheckouts, { agg: 'count', window: HOUR }),
    windowFeature('account_checkouts_24h', acctCheckouts, { agg: 'count', window: DAY }),
    windowFeature('account_checkouts_7d', acctCheckouts, { agg: 'count', window: 7 * DAY }),
    windowFeature('account_amount_sum_24h', acctCheckouts, { agg: 'sum', window: DAY }),
    windowFeature('account_avg_amount_30d', acctHistory, { agg: 'avg', window: 30 * DAY }),
    windowFeature('account_max_amount_30d', acctHistory, { agg: 'max', window: 30 * DAY }),
    windowFeature('account_amount_zscore_30d', acctHistory, { agg: 'zscore', window: 30 * DAY }),
    windowFeature('account_amount_to_avg_30d', acctHistory, { agg: 'ratioToAvg', window: 30 * DAY, default: 1 }),
    windowFeature('account_seconds_since_last_30d', acctHistory, { agg: 'sinceLast', window: 30 * DAY, default: -1 }),
    windowFeature('account_declines_24h', acctDeclines, { agg: 'count', window: DAY }),
    ratioFeature('account_decline_rate_24h', { numerator: { view: acctDeclines, of: 'count' }, denominator: { view: acctAuth, of: 'count' }, window: DAY }),
    windowFeature('account_stepup_failed_7d', acctStepUp, { agg: 'sum', window: 7 * DAY, dtype: 'int32' }),
    windowFeature('account_review_rejected_90d', acctReview, { agg: 'sum', window: 90 * DAY, dtype: 'int32' }),
    windowFeature('account_refunds_90d', acctRefunds, { agg: 'count', window: 90 * DAY }),
    windowFeature('account_chargebacks_90d', acctChargebacks, { agg: 'count', window: 90 * DAY }),
    // new device / address / card for this account
    windowFeature('new_device_for_account', acctDevice, { agg: 'absent', window: 90 * DAY, default: 1 }),
    windowFeature('new_address_for_account', acctAddress, { agg: 'absent', window: 90 * DAY, default: 1 }),
    windowFeature('new_card_for_account', acctCard, { agg: 'absent', window: 90 * DAY, default: 1 }),
    // card
    windowFeature('card_checkouts_1h', cardCheckouts, { agg: 'count', window: HOUR }),
    windowFeature('card_checkouts_24h', cardCheckouts, { agg: 'count', window: DAY }),
    windowFeature('card_amount_sum_24h', cardCheckouts, { agg: 'sum', window: DAY }),
    windowFeature('card_distinct_accounts_7d', cardCheckouts, { agg: 'distinct', window: 7 * DAY }),
    windowFeature('card_declines_24h', cardDeclines, { agg: 'count', window: DAY }),
    ratioFeature('card_decline_rate_24h', { numerator: { view: cardDeclines, of: 'count' }, denominator: { view: cardAuth, of: 'count' }, window: DAY }),
    windowFeature('card_chargebacks_90d', cardChargebacks, { agg: 'count', window: 90 * DAY }),
    // device, IP, e-mail, address
    windowFeature('device_checkouts_1h', deviceCards, { agg: 'count', window: HOUR }),
    windowFeature('device_distinct_cards_24h', deviceCards, { agg: 'distinct', window: DAY }),
    windowFeature('device_distinct_accounts_7d', deviceAccounts, { agg: 'distinct', window: 7 * DAY }),
    windowFeature('ip_checkouts_1h', ipAccounts, { agg: 'count', window: HOUR }),
    windowFeature('ip_distinct_accounts_24h', ipAccounts, { agg: 'distinct', window: DAY }),
    windowFeature('ip_declines_1h', ipDeclines, { agg: 'count', window: HOUR }),
    windowFeature('email_checkouts_24h', emailCards, { agg: 'count', window: DAY }),
    windowFeature('email_distinct_cards_7d', emailCards, { agg: 'distinct', window: 7 * DAY }),
    windowFeature('address_checkouts_24h', addressAccounts, { agg: 'count', window: DAY }),
    windowFeature('address_distinct_accounts_7d', addressAccounts, { agg: 'distinct', window: 7 * DAY }),
    // merchant
    windowFeature('merchant_checkouts_1h', merchantCheckouts, { agg: 'count', window: HOUR }),
    windowFeature('merchant_checkouts_24h', merchantCheckouts, { agg: 'count', window: DAY }),
    ratioFeature('merchant_decline_rate_24h', { numerator: { view: merchantDeclines, of: 'count' }, denominator: { view: merchantAuth, of: 'count' }, window: DAY }),
    ratioFeature('merchant_refund_rate_30d', { numerator: { view: merchantRefunds, of: 'count' }, denominator: { view: merchantFulfilled, of: 'count' }, window: 30 * DAY }),
    windowFeature('merchant_chargeback_rate_30d', merchantChargebackLabels, { agg: 'labelRate', window: 30 * DAY }),
    windowFeature('merchant_fraud_rate_30d', merchantFraudLabels, { agg: 'labelRate', window: 30 * DAY }),
    // BIN and payment method
    windowFeature('bin_checkouts_1h', binCheckouts, { agg: 'count', window: HOUR }),
    ratioFeature('bin_decline_rate_24h', { numerator: { view: binDeclines, of: 'count' }, denominator: { view: binAuth, of: 'count' }, window: DAY }),
    windowFeature('bin_fraud_rate_30d', binFraudLabels, { agg: 'labelRate', window: 30 * DAY }),
    ratioFeature('payment_method_decline_rate_24h', { numerator: { view: pmDeclines, of: 'count' }, denominator: { view: pmAuth, of: 'count' }, window: DAY }),
    windowFeature('payment_method_fraud_rate_30d', pmFraudLabels, { agg: 'labelRate', window: 30 * DAY }),
  ],
});

export type CheckoutFeatureSet = typeof checkoutFeatureSet;
export type CheckoutVector = FeatureVector<CheckoutFeatureSet>;
