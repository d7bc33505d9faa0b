// Scoring requests shaped like docs/examples/decision-request.json, with random ids drawn from bounded pools so
// that features warm up and hot keys (large merchants, returning shoppers) appear as in production.
// Nothing here is real: ids are random tokens, addresses are from documentation ranges, and there is never a
// card number — only a card token and a BIN.

const REGION_DEFAULTS = {
  eu: { currency: 'EUR', country: 'DE', phonePrefix: '+49 30 555' },
  us: { currency: 'USD', country: 'US', phonePrefix: '+1 202 555' },
  apac: { currency: 'SGD', country: 'SG', phonePrefix: '+65 6555' },
};
const MCCS = ['5732', '5411', '5691', '5942', '5999', '4814', '5812'];
const BINS = ['41111111', '52000000', '40000566', '37144963'];
const NETWORKS = { 4: 'visa', 5: 'mastercard', 3: 'amex' };
const CHANNELS = ['web', 'app', 'web', 'app', 'api'];
const AGENTS = ['Chrome', 'Safari', 'Firefox', 'Edge', 'SamsungInternet'];

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const token = (n) => {
  let s = '';
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
};
// Power-law draw in [0, pool): a few ids take most of the traffic (hot keys), the long tail stays cold.
const skewed = (pool, power) => Math.floor(pool * Math.pow(Math.random(), power));

export function decisionRequest(region, pools) {
  const r = REGION_DEFAULTS[region] || REGION_DEFAULTS.eu;
  const account = skewed(pools.accounts, 2);
  const merchant = skewed(pools.merchants, 4);
  const bin = pick(BINS);
  const guest = Math.random() < 0.15;
  return {
    schemaVersion: '1',
    checkoutId: `chk_k6${token(12)}`,
    region,
    occurredAt: new Date().toISOString(),
    channel: pick(CHANNELS),
    amount: { value: Math.round(Math.exp(2 + Math.random() * 5) * 100) / 100, currency: r.currency },
    merchant: { id: `m_k6${merchant}`, mcc: MCCS[merchant % MCCS.length], country: r.country },
    shopper: {
      accountId: guest ? `guest_k6${token(10)}` : `acc_k6${account}`,
      accountCreatedAt: new Date(Date.now() - (account % 2000) * 86400000).toISOString(),
      isGuest: guest,
      email: `k6.${account}@example.test`,
      phone: `${r.phonePrefix} ${String(account % 10000).padStart(4, '0')}`,
    },
    device: {
      id: `dev_k6${token(10)}`,
      ip: `203.0.113.${1 + (account % 254)}`,
      ipCountry: r.country,
      userAgentFamily: pick(AGENTS),
    },
    payment: {
      methodId: `pm_${region}_card_${NETWORKS[bin[0]]}`,
      type: 'card',
      card: { token: `tok_k6_${token(22)}`, bin, country: r.country, network: NETWORKS[bin[0]] },
    },
    shipping: {
      address: { line1: `${1 + (account % 200)} Test Street`, city: 'Testville', postalCode: String(10000 + (account % 89999)), country: r.country },
      method: pick(['standard', 'express', 'pickup']),
    },
    items: { count: 1 + Math.floor(Math.random() * 5), digitalGoods: Math.random() < 0.1, highRiskCategory: Math.random() < 0.2 },
  };
}

/** True when the decision names anything it skipped (the contract's `degraded` flags). */
export function isDegraded(decision) {
  const d = decision && decision.degraded;
  if (Array.isArray(d)) return d.length > 0;
  if (d && typeof d === 'object') return Object.keys(d).length > 0;
  return Boolean(d);
}
