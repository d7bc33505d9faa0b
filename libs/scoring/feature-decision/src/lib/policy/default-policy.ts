import type { PolicyConfigInput } from './policy.schema';

/** Shipped default: a sensible, conservative policy. Real deployments load a versioned JSON file. */
export const DEFAULT_POLICY: PolicyConfigInput = {
  version: 'policy-2026.11.1',
  lists: { allowTokens: [], blockTokens: [], blockBins: [], blockMerchants: [], allowMerchants: [] },
  hardRules: [{ code: 'HARD_AMOUNT_LIMIT', when: { amountAbove: 50_000, guest: true }, action: 'decline', score: 0.99 }],
  velocity: [
    { entity: 'card', windowMs: 60_000, max: 8, action: 'decline', code: 'VELOCITY_CARD_1M' },
    { entity: 'device', windowMs: 60_000, max: 12, action: 'step_up', code: 'VELOCITY_DEVICE_1M' },
  ],
  costs: {
    lossFactor: 1.2,
    margin: 0.25,
    actions: {
      allow: { fraudCatch: 0, fixedCost: 0, abandonRate: 0 },
      step_up: { fraudCatch: 0.85, fixedCost: 0.1, abandonRate: 0.06 },
      route: { fraudCatch: 0.6, fixedCost: 0.25, abandonRate: 0.02 },
      review: { fraudCatch: 0.95, fixedCost: 4, abandonRate: 0.03 },
      hold_fulfillment: { fraudCatch: 0.7, fixedCost: 0.6, abandonRate: 0.01 },
      decline: { fraudCatch: 1, fixedCost: 0, abandonRate: 1 },
    },
  },
  segments: [
    { paymentType: 'bank_transfer', disabled: ['step_up', 'route'] },
    { paymentType: 'cash_on_delivery', disabled: ['step_up', 'route'] },
    { paymentType: 'gift_card', disabled: ['step_up'] },
    { region: 'eu', paymentType: 'card', actions: { step_up: { fraudCatch: 0.9, fixedCost: 0.05, abandonRate: 0.04 } } },
    { region: 'us', lossFactor: 1.4 },
  ],
  guardrails: { windowMs: 60_000, minSamples: 200, maxDeclineRate: 0.05, maxStepUpRate: 0.2 },
  rulesOnly: {
    rules: [
      { code: 'RULE_NEW_GUEST_HIGH_AMOUNT', when: { guest: true, amountAbove: 1_000 }, action: 'review', score: 0.6 },
      { code: 'RULE_COUNTRY_MISMATCH_DIGITAL', when: { countryMismatch: true, digitalGoods: true }, action: 'step_up', score: 0.5 },
      { code: 'RULE_NEW_ACCOUNT_HIGH_RISK', when: { accountAgeDaysBelow: 1, highRiskCategory: true }, action: 'step_up', score: 0.4 },
    ],
    default: 'allow',
    defaultScore: 0.02,
  },
  fallbackModel: {
    format: 'logistic-v1',
    version: 'fallback-rt-2026.11.1',
    bias: -4.2,
    weights: {
      rt_log_amount: 0.35,
      rt_is_guest: 0.6,
      rt_new_account: 1.1,
      rt_ip_bin_country_mismatch: 1.3,
      rt_ship_bin_country_mismatch: 0.7,
      rt_ip_ship_country_mismatch: 0.5,
      rt_digital_goods: 0.6,
      rt_high_risk_category: 0.5,
      rt_express_shipping: 0.3,
      rt_channel_api: 0.2,
    },
  },
  stepUpMethod: '3ds',
  safeRoute: 'psp_3ds_liability_shift',
};
