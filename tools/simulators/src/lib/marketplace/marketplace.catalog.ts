import type { Region } from '@risk/contract-events';

export type PaymentType = 'card' | 'wallet' | 'bnpl' | 'bank_transfer' | 'cash_on_delivery' | 'gift_card';

export interface PaymentMethodDef {
  id: string;
  region: Region;
  type: PaymentType;
  /** Card network for card methods (and the BIN range it draws from). */
  network?: string;
  /** Relative popularity within its region. */
  weight: number;
}

export interface CountryDef {
  code: string;
  currency: string;
  region: Region;
  weight: number;
}

export const COUNTRIES: readonly CountryDef[] = [
  { code: 'DE', currency: 'EUR', region: 'eu', weight: 22 },
  { code: 'FR', currency: 'EUR', region: 'eu', weight: 17 },
  { code: 'GB', currency: 'GBP', region: 'eu', weight: 18 },
  { code: 'NL', currency: 'EUR', region: 'eu', weight: 8 },
  { code: 'ES', currency: 'EUR', region: 'eu', weight: 10 },
  { code: 'IT', currency: 'EUR', region: 'eu', weight: 10 },
  { code: 'PL', currency: 'PLN', region: 'eu', weight: 6 },
  { code: 'SE', currency: 'SEK', region: 'eu', weight: 4 },
  { code: 'BE', currency: 'EUR', region: 'eu', weight: 3 },
  { code: 'IE', currency: 'EUR', region: 'eu', weight: 2 },
  { code: 'US', currency: 'USD', region: 'us', weight: 80 },
  { code: 'CA', currency: 'CAD', region: 'us', weight: 12 },
  { code: 'MX', currency: 'MXN', region: 'us', weight: 8 },
  { code: 'JP', currency: 'JPY', region: 'apac', weight: 28 },
  { code: 'AU', currency: 'AUD', region: 'apac', weight: 18 },
  { code: 'SG', currency: 'SGD', region: 'apac', weight: 10 },
  { code: 'IN', currency: 'INR', region: 'apac', weight: 22 },
  { code: 'KR', currency: 'KRW', region: 'apac', weight: 12 },
  { code: 'HK', currency: 'HKD', region: 'apac', weight: 10 },
];

/** Countries fraud is often run from or shipped to (drop addresses, proxies); used for mismatches. */
export const RISKY_COUNTRIES: readonly string[] = ['NG', 'RU', 'VN', 'BR', 'ID', 'RO', 'UA', 'PH'];

/** Local-currency units per EUR, so amounts look native (rough, static). */
export const FX_PER_EUR: Readonly<Record<string, number>> = {
  EUR: 1,
  GBP: 0.85,
  PLN: 4.3,
  SEK: 11.2,
  USD: 1.08,
  CAD: 1.47,
  MXN: 18.5,
  JPY: 160,
  AUD: 1.65,
  SGD: 1.45,
  INR: 90,
  KRW: 1450,
  HKD: 8.4,
};

export const REGION_SHARE: Readonly<Record<Region, number>> = { eu: 0.45, us: 0.35, apac: 0.2 };

export interface MccDef {
  mcc: string;
  weight: number;
  highRisk: boolean;
  digital: boolean;
  /** Typical basket in EUR (log-normal median). */
  medianEur: number;
}

export const MCCS: readonly MccDef[] = [
  { mcc: '5651', weight: 22, highRisk: false, digital: false, medianEur: 55 },
  { mcc: '5732', weight: 12, highRisk: true, digital: false, medianEur: 180 },
  { mcc: '5942', weight: 8, highRisk: false, digital: false, medianEur: 22 },
  { mcc: '5816', weight: 7, highRisk: true, digital: true, medianEur: 25 },
  { mcc: '5999', weight: 15, highRisk: false, digital: false, medianEur: 35 },
  { mcc: '5411', weight: 10, highRisk: false, digital: false, medianEur: 45 },
  { mcc: '5945', weight: 7, highRisk: false, digital: false, medianEur: 40 },
  { mcc: '5977', weight: 8, highRisk: false, digital: false, medianEur: 30 },
  { mcc: '4722', weight: 4, highRisk: true, digital: true, medianEur: 320 },
  { mcc: '5944', weight: 3, highRisk: true, digital: false, medianEur: 260 },
  { mcc: '5818', weight: 4, highRisk: true, digital: true, medianEur: 15 },
];

/** First BIN digits by network; the rest of the 8-digit BIN is synthetic. */
export const NETWORK_BIN_PREFIX: Readonly<Record<string, string>> = {
  visa: '4',
  mastercard: '5',
  maestro: '67',
  amex: '37',
  discover: '65',
  diners: '36',
  jcb: '35',
  unionpay: '62',
  cartes_bancaires: '49',
  rupay: '60',
  eftpos: '50',
};

const CARD_NETWORKS: Readonly<Record<Region, readonly [string, number][]>> = {
  eu: [
    ['visa', 40],
    ['mastercard', 35],
    ['amex', 6],
    ['maestro', 10],
    ['cartes_bancaires', 7],
    ['diners', 2],
  ],
  us: [
    ['visa', 48],
    ['mastercard', 30],
    ['amex', 14],
    ['discover', 6],
    ['diners', 1],
    ['jcb', 1],
  ],
  apac: [
    ['visa', 30],
    ['mastercard', 25],
    ['jcb', 15],
    ['unionpay', 15],
    ['rupay', 10],
    ['eftpos', 5],
  ],
};

const FUNDING: readonly [string, number][] = [
  ['credit', 0.5],
  ['debit', 0.4],
  ['prepaid', 0.07],
  ['commercial', 0.03],
];

const OTHER_METHODS: Readonly<Record<Region, readonly [PaymentType, string, number][]>> = {
  eu: [
    ['wallet', 'paypal', 9],
    ['wallet', 'apple_pay', 7],
    ['wallet', 'google_pay', 5],
    ['wallet', 'amazon_pay', 2],
    ['wallet', 'revolut_pay', 1],
    ['wallet', 'satispay', 0.5],
    ['wallet', 'blik', 1.5],
    ['wallet', 'mobilepay', 0.5],
    ['bnpl', 'klarna', 6],
    ['bnpl', 'clearpay', 1],
    ['bnpl', 'scalapay', 0.8],
    ['bnpl', 'alma', 0.4],
    ['bank_transfer', 'sepa_debit', 3],
    ['bank_transfer', 'ideal', 3],
    ['bank_transfer', 'sofort', 1],
    ['gift_card', 'store_gift_card', 0.8],
  ],
  us: [
    ['wallet', 'paypal', 10],
    ['wallet', 'apple_pay', 9],
    ['wallet', 'google_pay', 4],
    ['wallet', 'amazon_pay', 2],
    ['wallet', 'venmo', 2],
    ['wallet', 'cash_app_pay', 1.5],
    ['wallet', 'shop_pay', 2],
    ['wallet', 'mercado_pago', 1],
    ['bnpl', 'affirm', 3],
    ['bnpl', 'afterpay', 2.5],
    ['bnpl', 'klarna', 2],
    ['bnpl', 'sezzle', 0.7],
    ['bank_transfer', 'ach_debit', 1.5],
    ['bank_transfer', 'spei', 0.8],
    ['cash_on_delivery', 'oxxo', 0.6],
    ['gift_card', 'store_gift_card', 1],
  ],
  apac: [
    ['wallet', 'alipay', 8],
    ['wallet', 'wechat_pay', 6],
    ['wallet', 'paypay', 5],
    ['wallet', 'grabpay', 2],
    ['wallet', 'paytm', 3],
    ['wallet', 'kakaopay', 3],
    ['wallet', 'apple_pay', 3],
    ['wallet', 'google_pay', 2],
    ['bnpl', 'afterpay', 2.5],
    ['bnpl', 'zip', 1.5],
    ['bnpl', 'atome', 1],
    ['bank_transfer', 'upi', 6],
    ['bank_transfer', 'paynow', 1.5],
    ['bank_transfer', 'fps', 1],
    ['cash_on_delivery', 'konbini', 2],
    ['gift_card', 'store_gift_card', 0.6],
  ],
};

/** 120 payment methods: 24 card variants (network × funding) and 16 local methods in each of 3 regions. */
export function buildPaymentMethods(): PaymentMethodDef[] {
  const out: PaymentMethodDef[] = [];
  for (const region of ['eu', 'us', 'apac'] as const) {
    for (const [network, nw] of CARD_NETWORKS[region]) {
      for (const [funding, fw] of FUNDING) {
        out.push({ id: `pm_${region}_card_${network}_${funding}`, region, type: 'card', network, weight: nw * fw * 0.6 });
      }
    }
    for (const [type, name, w] of OTHER_METHODS[region]) out.push({ id: `pm_${region}_${type}_${name}`, region, type, weight: w });
  }
  return out;
}
