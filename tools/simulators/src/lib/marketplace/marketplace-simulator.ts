import { containsPan, type Action, type Region, type RiskEvent, type ScoringRequest, type Subject } from '@risk/contract-events';
import { createTokenizer, type IdentifierKind, type Tokenizer } from '@risk/util-privacy';
import { Prng } from '../random/prng';
import {
  COUNTRIES,
  FX_PER_EUR,
  MCCS,
  NETWORK_BIN_PREFIX,
  REGION_SHARE,
  RISKY_COUNTRIES,
  buildPaymentMethods,
  type CountryDef,
  type MccDef,
  type PaymentMethodDef,
} from './marketplace.catalog';
import { TimeHeap } from './min-heap';
import type { CheckoutTruth, FraudScenario, MarketplaceItem, MarketplaceSimulationOptions, PeakShape } from './marketplace.types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const REGIONS: readonly Region[] = ['eu', 'us', 'apac'];

export const MARKETPLACE_DEFAULTS: Readonly<MarketplaceSimulationOptions> = Object.freeze({
  seed: 1,
  startDate: '2026-11-01',
  days: 14,
  shoppers: 20_000,
  merchants: 35_000,
  checkoutsPerShopperPerDay: 0.12,
  diurnalAmplitude: 0.6,
  attackRates: Object.freeze({ stolen_card: 0.0035, account_takeover: 0.0008, card_testing: 0.00004 }),
  friendlyFraudRate: 0.0015,
  compromisedMerchantsPerDay: 0.3,
  compromisedMerchantOrdersPerDay: 12,
  neverReportedShare: 0.25,
  chargebackMinDays: 2,
  chargebackMaxDays: 70,
  chargebackMedianDays: 21,
  maturityDays: 75,
  emitDecisions: true,
  tokenKey: 'simulator-token-key-not-a-secret',
  tokenKeyId: 'sim',
});

/** A peak placed on the given day at 19:00 UTC: up to `multiplier`× in 5 minutes, held for 45, back down in 20. */
export function defaultPeak(day: number, multiplier = 9): PeakShape {
  return { startMinute: day * 1440 + 19 * 60, rampUpMinutes: 5, holdMinutes: 45, rampDownMinutes: 20, multiplier };
}

/** Diurnal baseline (mean 1 over a day), peaking at 20:00 UTC. */
export function diurnalFactor(timeMs: number, amplitude: number): number {
  const hour = (((timeMs % DAY) + DAY) % DAY) / HOUR;
  return 1 + amplitude * Math.cos((2 * Math.PI * (hour - 20)) / 24);
}

/** Multiplier of the peak event over the baseline at a given minute since the start (1 outside the peak). */
export function peakFactor(minute: number, peak: PeakShape | undefined): number {
  if (!peak) return 1;
  const x = minute - peak.startMinute;
  const top = peak.multiplier - 1;
  if (x < 0) return 1;
  if (x < peak.rampUpMinutes) return 1 + top * (x / peak.rampUpMinutes);
  if (x < peak.rampUpMinutes + peak.holdMinutes) return peak.multiplier;
  const down = x - peak.rampUpMinutes - peak.holdMinutes;
  if (down < peak.rampDownMinutes) return 1 + top * (1 - down / peak.rampDownMinutes);
  return 1;
}

/** Tokens are minted on first use (HMAC is the dominant cost of building the world). */
interface Tokenised {
  token?: string;
}
interface Device extends Tokenised {
  raw: string;
  ua: string;
}
interface Ip extends Tokenised {
  raw: string;
  country: string;
}
interface Address extends Tokenised {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}
interface Card {
  ref: string;
  token?: string;
  bin: string;
  country: string;
  network: string;
}
interface Instrument {
  method: PaymentMethodDef;
  card?: Card;
}
interface Shopper {
  accountId: string;
  accountToken?: string;
  accountCreatedMs: number;
  isGuest: boolean;
  region: Region;
  country: CountryDef;
  email: string;
  emailToken?: string;
  phone?: string;
  devices: Device[];
  ips: Ip[];
  addresses: Address[];
  instruments: Instrument[];
  amountFactor: number;
}

interface Checkout {
  timeMs: number;
  checkoutId: string;
  region: Region;
  shopper: Shopper;
  device: Device;
  ip: Ip;
  address: Address;
  instrument: Instrument;
  merchant: number;
  amount: number;
  currency: string;
  channel: 'web' | 'app' | 'api';
  itemCount: number;
  scenario: FraudScenario | null;
  /** Per-scenario risk signal the simulated legacy rules can partly see. */
  riskHint: number;
}

type Pending = { kind: 'event'; event: RiskEvent } | { kind: 'checkout'; checkout: Checkout } | { kind: 'tick'; minute: number };

/** Builds the simulated world once; `items()` then streams checkouts and contract events in time order. */
export class MarketplaceSimulator {
  readonly options: MarketplaceSimulationOptions;
  readonly methods: readonly PaymentMethodDef[];
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly rng: Prng;
  private readonly tokenizers: Record<Region, Tokenizer>;
  private readonly pspTokenizer: Tokenizer;
  private readonly shoppers: Shopper[] = [];
  private readonly shopperCum: Float64Array;
  private readonly merchantCountry: Uint8Array;
  private readonly merchantMcc: Uint8Array;
  private readonly merchantsByRegion: Record<Region, { ids: Int32Array; cum: Float64Array }>;
  private readonly methodsByRegion: Record<Region, { list: PaymentMethodDef[]; weights: number[] }>;
  private readonly countriesByRegion: Record<Region, { list: CountryDef[]; weights: number[] }>;
  private readonly mccWeights: number[];
  private readonly heap = new TimeHeap<Pending>();
  private readonly compromisedUntil = new Map<number, number>();
  private readonly reviewerTokens: string[] = [];
  private checkoutSeq = 0;
  private entitySeq = 0;
  private baseRatePerMinute = 0;
  private streamed = false;

  constructor(overrides: Partial<MarketplaceSimulationOptions> = {}) {
    this.options = { ...MARKETPLACE_DEFAULTS, ...overrides };
    const o = this.options;
    for (const k of ['days', 'shoppers', 'merchants'] as const) {
      if (!Number.isInteger(o[k]) || o[k] <= 0) throw new RangeError(`${k} must be a positive integer, got ${String(o[k])}`);
    }
    this.startMs = Date.parse(`${o.startDate}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDate) || Number.isNaN(this.startMs)) throw new RangeError(`startDate must be YYYY-MM-DD, got ${o.startDate}`);
    this.endMs = this.startMs + o.days * DAY;
    this.rng = new Prng(o.seed);
    const keys = { [o.tokenKeyId]: o.tokenKey };
    this.tokenizers = {
      eu: createTokenizer({ region: 'eu', keys, activeKeyId: o.tokenKeyId }),
      us: createTokenizer({ region: 'us', keys, activeKeyId: o.tokenKeyId }),
      apac: createTokenizer({ region: 'apac', keys, activeKeyId: o.tokenKeyId }),
    };
    this.pspTokenizer = createTokenizer({ region: 'psp', keys: { psp: `${o.tokenKey}:psp` }, activeKeyId: 'psp' });

    this.methods = buildPaymentMethods();
    this.methodsByRegion = byRegion(this.methods, (m) => m.weight);
    this.countriesByRegion = byRegion(COUNTRIES, (c) => c.weight);
    this.mccWeights = MCCS.map((m) => m.weight);

    // Merchants: country, category, and a Zipf-like popularity within their region.
    const mRng = this.rng.fork(11);
    this.merchantCountry = new Uint8Array(o.merchants);
    this.merchantMcc = new Uint8Array(o.merchants);
    const regionIds: Record<Region, number[]> = { eu: [], us: [], apac: [] };
    const regionWeights = REGIONS.map((r) => REGION_SHARE[r]);
    for (let m = 0; m < o.merchants; m++) {
      const region = REGIONS[mRng.weightedIndex(regionWeights)] as Region;
      const cr = this.countriesByRegion[region];
      this.merchantCountry[m] = COUNTRIES.indexOf(cr.list[mRng.weightedIndex(cr.weights)] as CountryDef);
      this.merchantMcc[m] = mRng.weightedIndex(this.mccWeights);
      regionIds[region].push(m);
    }
    this.merchantsByRegion = {} as Record<Region, { ids: Int32Array; cum: Float64Array }>;
    for (const r of REGIONS) {
      const ids = Int32Array.from(regionIds[r]);
      const cum = new Float64Array(ids.length);
      let s = 0;
      for (let i = 0; i < ids.length; i++) cum[i] = s += 1 / Math.pow(i + 1, 1.05);
      this.merchantsByRegion[r] = { ids, cum };
    }

    // Shoppers.
    const sRng = this.rng.fork(12);
    this.shopperCum = new Float64Array(o.shoppers);
    let cum = 0;
    for (let i = 0; i < o.shoppers; i++) {
      const region = REGIONS[sRng.weightedIndex(regionWeights)] as Region;
      const shopper = this.newShopper(sRng, region, this.startMs - Math.min(8 * 365, sRng.logNormal(Math.log(400), 1.1)) * DAY - DAY, sRng.bernoulli(0.12));
      this.shoppers.push(shopper);
      // Log-normal activity with mean 1 (sigma 1 => exp(-0.5) median).
      cum += sRng.logNormal(-0.5, 1);
      this.shopperCum[i] = cum;
    }
    this.baseRatePerMinute = (o.checkoutsPerShopperPerDay * o.shoppers) / 1440;
  }

  /** Expected checkouts per minute at a time (before fraud sessions are added). */
  expectedRatePerMinute(timeMs: number): number {
    const minute = Math.floor((timeMs - this.startMs) / MINUTE);
    return this.baseRatePerMinute * diurnalFactor(timeMs, this.options.diurnalAmplitude) * peakFactor(minute, this.options.peak);
  }

  get start(): Date {
    return new Date(this.startMs);
  }

  get end(): Date {
    return new Date(this.endMs);
  }

  /** Checkouts and events merged in time order. Single use: a simulator instance streams once. */
  *items(): IterableIterator<MarketplaceItem> {
    if (this.streamed) throw new Error('MarketplaceSimulator.items() streams once; create a new simulator (same seed => same stream)');
    this.streamed = true;
    const totalMinutes = this.options.days * 1440;
    const horizon = this.endMs + (this.options.chargebackMaxDays + 1) * DAY;
    this.heap.push(this.startMs, { kind: 'tick', minute: 0 });
    for (let guard = 0; this.heap.size > 0 && guard < 1e9; guard++) {
      const next = this.heap.pop();
      if (!next) break;
      const { time, item } = next;
      if (time > horizon) continue;
      if (item.kind === 'tick') {
        this.scheduleMinute(item.minute);
        if (item.minute + 1 < totalMinutes) this.heap.push(this.startMs + (item.minute + 1) * MINUTE, { kind: 'tick', minute: item.minute + 1 });
      } else if (item.kind === 'checkout') {
        yield { kind: 'checkout', timeMs: time, sample: { request: this.scoringRequest(item.checkout), truth: truthOf(item.checkout) } };
        this.process(item.checkout);
      } else {
        yield { kind: 'event', timeMs: time, event: item.event };
      }
    }
  }

  // ---------------------------------------------------------------- world building

  private nextId(): number {
    return this.entitySeq++;
  }

  private token(region: Region, kind: IdentifierKind, raw: string): string {
    return this.tokenizers[region].tokenize(kind, raw);
  }

  private newDevice(rng: Prng): Device {
    // Letters only: a random hex id can contain a Luhn-valid digit run that PAN guards rightly refuse.
    let raw = 'dev_';
    for (let i = 0; i < 14; i++) raw += String.fromCharCode(97 + rng.int(26));
    return { raw, ua: rng.pick(['Chrome', 'Safari', 'Firefox', 'Edge', 'MobileSafari', 'ChromeMobile', 'App']) };
  }

  private newIp(rng: Prng, country: string): Ip {
    // 198.18.0.0/15 is reserved for benchmarking: never a real shopper's address.
    const raw = `198.${18 + rng.int(2)}.${rng.int(256)}.${1 + rng.int(254)}`;
    return { raw, country };
  }

  private newAddress(rng: Prng, country: string): Address {
    const n = this.nextId();
    const line1 = `${1 + rng.int(300)} Simulated Street ${n}`;
    const city = `City ${rng.int(500)}`;
    const postalCode = String(10000 + rng.int(89999));
    return { line1, city, postalCode, country };
  }

  private newCard(rng: Prng, network: string, country: string): Card {
    const prefix = NETWORK_BIN_PREFIX[network] ?? '4';
    let bin = prefix;
    while (bin.length < 8) bin += String(rng.int(10));
    // The PSP hands us a token; the simulator never materialises a card number.
    return { ref: `card-${this.options.seed}-${this.nextId()}`, bin, country, network };
  }

  private newInstrument(rng: Prng, region: Region, cardCountry: string): Instrument {
    const mr = this.methodsByRegion[region];
    const method = mr.list[rng.weightedIndex(mr.weights)] as PaymentMethodDef;
    return method.type === 'card' ? { method, card: this.newCard(rng, method.network ?? 'visa', cardCountry) } : { method };
  }

  private newCardInstrument(rng: Prng, region: Region, cardCountry: string): Instrument {
    const cards = this.methodsByRegion[region].list.filter((m) => m.type === 'card');
    const method = rng.pick(cards);
    return { method, card: this.newCard(rng, method.network ?? 'visa', cardCountry) };
  }

  private newShopper(rng: Prng, region: Region, createdMs: number, isGuest: boolean): Shopper {
    const cr = this.countriesByRegion[region];
    const country = cr.list[rng.weightedIndex(cr.weights)] as CountryDef;
    const n = this.nextId();
    const accountId = `${isGuest ? 'gst' : 'acc'}_${this.options.seed}_${n.toString(36)}`;
    const email = `shopper.${this.options.seed}.${n.toString(36)}@shop.example`;
    const devices = Array.from({ length: 1 + rng.int(3) }, () => this.newDevice(rng));
    const ips = Array.from({ length: 1 + rng.int(2) }, () => this.newIp(rng, country.code));
    const addresses = Array.from({ length: 1 + (rng.bernoulli(0.3) ? 1 : 0) }, () => this.newAddress(rng, country.code));
    const instruments = Array.from({ length: 1 + rng.int(3) }, () => this.newInstrument(rng, region, rng.bernoulli(0.95) ? country.code : rng.pick(COUNTRIES).code));
    return {
      accountId,
      accountCreatedMs: Math.floor(createdMs),
      isGuest,
      region,
      country,
      email,
      phone: rng.bernoulli(0.7) ? `+1 555 ${String(1000000 + rng.int(8999999))}` : undefined,
      devices,
      ips,
      addresses,
      instruments,
      amountFactor: rng.logNormal(0, 0.4),
    };
  }

  private pickMerchant(rng: Prng, region: Region): number {
    const r = rng.bernoulli(0.9) ? region : (REGIONS[rng.int(3)] as Region);
    const { ids, cum } = this.merchantsByRegion[r];
    if (ids.length === 0) return rng.int(this.options.merchants);
    const x = rng.next() * (cum[cum.length - 1] as number);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return ids[lo] as number;
  }

  private pickShopper(rng: Prng): Shopper {
    const cum = this.shopperCum;
    const x = rng.next() * (cum[cum.length - 1] as number);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.shoppers[lo] as Shopper;
  }

  private mccOf(merchant: number): MccDef {
    return MCCS[this.merchantMcc[merchant] as number] as MccDef;
  }

  private merchantCountryOf(merchant: number): CountryDef {
    return COUNTRIES[this.merchantCountry[merchant] as number] as CountryDef;
  }

  private amountFor(rng: Prng, merchant: number, currency: string, factor: number): number {
    const eur = this.mccOf(merchant).medianEur * factor * rng.logNormal(0, 0.7);
    return roundMoney(Math.max(0.5, eur) * (FX_PER_EUR[currency] ?? 1), currency);
  }

  // ---------------------------------------------------------------- arrivals

  private scheduleMinute(minute: number): void {
    const o = this.options;
    const rng = this.rng;
    const t0 = this.startMs + minute * MINUTE;
    const lambda = this.expectedRatePerMinute(t0);
    const n = rng.poisson(lambda);
    for (let i = 0; i < n; i++) this.legitCheckout(t0 + rng.int(MINUTE));

    // Attack sessions ride the same traffic shape (fraudsters like peaks too).
    for (const [scenario, rate] of Object.entries(o.attackRates) as [keyof typeof o.attackRates, number][]) {
      const k = rng.poisson(lambda * rate);
      for (let i = 0; i < k; i++) {
        const t = t0 + rng.int(MINUTE);
        if (scenario === 'stolen_card') this.stolenCardSession(t);
        else if (scenario === 'account_takeover') this.accountTakeoverSession(t);
        else this.cardTestingBurst(t);
      }
    }
    // Compromised merchants: new compromises, then their fraudulent orders this minute.
    const newCompromises = rng.poisson(o.compromisedMerchantsPerDay / 1440);
    for (let i = 0; i < newCompromises; i++) {
      const m = rng.int(o.merchants);
      this.compromisedUntil.set(m, t0 + (3 + rng.int(8)) * DAY);
    }
    for (const [m, until] of this.compromisedUntil) {
      if (until <= t0) {
        this.compromisedUntil.delete(m);
        continue;
      }
      const k = rng.poisson(o.compromisedMerchantOrdersPerDay / 1440);
      for (let i = 0; i < k; i++) this.compromisedMerchantOrder(t0 + rng.int(MINUTE), m);
    }
  }

  private enqueue(partial: Omit<Checkout, 'checkoutId' | 'region' | 'currency'> & { currency?: string }): void {
    if (partial.timeMs >= this.endMs) return;
    const region = partial.shopper.region;
    const checkout: Checkout = {
      ...partial,
      region,
      currency: partial.currency ?? partial.shopper.country.currency,
      checkoutId: `chk_${this.options.seed}_${(this.checkoutSeq++).toString(36)}`,
    };
    this.heap.push(checkout.timeMs, { kind: 'checkout', checkout });
  }

  private legitCheckout(timeMs: number): void {
    const rng = this.rng;
    const shopper = this.pickShopper(rng);
    const merchant = this.pickMerchant(rng, shopper.region);
    // Occasionally a legitimate shopper uses a new device, IP or address (travel, new phone, gift).
    if (rng.bernoulli(0.03)) shopper.devices.push(this.newDevice(rng));
    if (rng.bernoulli(0.05)) shopper.ips.push(this.newIp(rng, rng.bernoulli(0.9) ? shopper.country.code : rng.pick(COUNTRIES).code));
    if (rng.bernoulli(0.01)) shopper.addresses.push(this.newAddress(rng, shopper.country.code));
    this.enqueue({
      timeMs,
      shopper,
      device: rng.pick(shopper.devices),
      ip: rng.pick(shopper.ips),
      address: rng.pick(shopper.addresses),
      instrument: rng.pick(shopper.instruments),
      merchant,
      amount: this.amountFor(rng, merchant, shopper.country.currency, shopper.amountFactor),
      channel: rng.bernoulli(0.45) ? 'app' : 'web',
      itemCount: 1 + rng.poisson(0.8),
      scenario: rng.bernoulli(this.options.friendlyFraudRate) ? 'friendly_fraud' : null,
      riskHint: rng.next() * 0.3,
    });
  }

  /** A fraudster's account (new or guest) and kit: device, proxy or foreign IP, drop address. */
  private fraudsterShopper(rng: Prng, timeMs: number, region: Region): { shopper: Shopper; device: Device; ip: Ip; address: Address } {
    const shopper = this.newShopper(rng, region, timeMs - rng.exponential(1 / (2 * DAY)) - MINUTE, rng.bernoulli(0.5));
    const ipCountry = rng.bernoulli(0.5) ? rng.pick(RISKY_COUNTRIES) : shopper.country.code;
    const device = shopper.devices[0] as Device;
    const ip = this.newIp(rng, ipCountry);
    const address = this.newAddress(rng, rng.bernoulli(0.7) ? shopper.country.code : rng.pick(COUNTRIES.filter((c) => c.region === region)).code);
    return { shopper, device, ip, address };
  }

  private stolenCardSession(timeMs: number): void {
    const rng = this.rng;
    const region = REGIONS[rng.weightedIndex(REGIONS.map((r) => REGION_SHARE[r]))] as Region;
    const kit = this.fraudsterShopper(rng, timeMs, region);
    const victimCountry = rng.bernoulli(0.8) ? kit.shopper.country.code : rng.pick(COUNTRIES).code;
    const instrument = this.newCardInstrument(rng, region, victimCountry);
    const attempts = 1 + rng.int(4);
    let t = timeMs;
    for (let i = 0; i < attempts; i++) {
      const merchant = this.pickHighRiskMerchant(rng, region);
      this.enqueue({
        timeMs: t,
        ...kit,
        instrument,
        merchant,
        amount: this.amountFor(rng, merchant, kit.shopper.country.currency, 2 + rng.next() * 2),
        channel: rng.bernoulli(0.7) ? 'web' : 'app',
        itemCount: 1 + rng.poisson(1.5),
        scenario: 'stolen_card',
        riskHint: 0.35 + rng.next() * 0.5,
      });
      t += (2 + rng.int(28)) * MINUTE;
    }
  }

  private accountTakeoverSession(timeMs: number): void {
    const rng = this.rng;
    let victim = this.pickShopper(rng);
    for (let i = 0; i < 10 && victim.isGuest; i++) victim = this.pickShopper(rng);
    const foreign = rng.bernoulli(0.6);
    const device = this.newDevice(rng);
    const ip = this.newIp(rng, foreign ? rng.pick(RISKY_COUNTRIES) : victim.country.code);
    const address = this.newAddress(rng, rng.bernoulli(0.3) ? rng.pick(COUNTRIES.filter((c) => c.region === victim.region)).code : victim.country.code);
    const attempts = 1 + rng.int(3);
    let t = timeMs;
    for (let i = 0; i < attempts; i++) {
      const merchant = this.pickHighRiskMerchant(rng, victim.region);
      this.enqueue({
        timeMs: t,
        shopper: victim,
        device,
        ip,
        address,
        instrument: rng.pick(victim.instruments),
        merchant,
        amount: this.amountFor(rng, merchant, victim.country.currency, victim.amountFactor * (3 + rng.next() * 3)),
        channel: 'web',
        itemCount: 1 + rng.poisson(2),
        scenario: 'account_takeover',
        riskHint: 0.3 + rng.next() * 0.5,
      });
      t += (3 + rng.int(40)) * MINUTE;
    }
  }

  private cardTestingBurst(timeMs: number): void {
    const rng = this.rng;
    const region = REGIONS[rng.weightedIndex(REGIONS.map((r) => REGION_SHARE[r]))] as Region;
    const kit = this.fraudsterShopper(rng, timeMs, region);
    const ip = this.newIp(rng, rng.pick(RISKY_COUNTRIES));
    const merchants = [this.pickDigitalMerchant(rng, region), this.pickDigitalMerchant(rng, region)];
    const attempts = 20 + rng.int(61);
    const spanMs = (2 + rng.int(18)) * MINUTE;
    const testedBin = this.newCardInstrument(rng, region, kit.shopper.country.code);
    for (let i = 0; i < attempts; i++) {
      // Enumerated cards share the tested BIN range.
      const card = { ...this.newCard(rng, testedBin.card?.network ?? 'visa', testedBin.card?.country ?? 'US'), bin: testedBin.card?.bin ?? '40000000' };
      const merchant = rng.pick(merchants);
      this.enqueue({
        timeMs: timeMs + Math.floor((spanMs * i) / attempts) + rng.int(5000),
        shopper: kit.shopper,
        device: kit.device,
        ip,
        address: kit.address,
        instrument: { method: testedBin.method, card },
        merchant,
        amount: roundMoney((0.5 + rng.next() * 4.5) * (FX_PER_EUR[kit.shopper.country.currency] ?? 1), kit.shopper.country.currency),
        channel: 'api',
        itemCount: 1,
        scenario: 'card_testing',
        riskHint: 0.2 + Math.min(0.6, i * 0.03),
      });
    }
  }

  private compromisedMerchantOrder(timeMs: number, merchant: number): void {
    const rng = this.rng;
    const region = this.merchantCountryOf(merchant).region;
    const kit = this.fraudsterShopper(rng, timeMs, region);
    this.enqueue({
      timeMs,
      ...kit,
      instrument: this.newCardInstrument(rng, region, rng.bernoulli(0.7) ? kit.shopper.country.code : rng.pick(COUNTRIES).code),
      merchant,
      amount: this.amountFor(rng, merchant, kit.shopper.country.currency, 1.5 + rng.next() * 2),
      channel: 'web',
      itemCount: 1 + rng.poisson(1),
      scenario: 'compromised_merchant',
      riskHint: 0.15 + rng.next() * 0.4,
    });
  }

  private pickHighRiskMerchant(rng: Prng, region: Region): number {
    for (let i = 0; i < 8; i++) {
      const m = this.pickMerchant(rng, region);
      if (this.mccOf(m).highRisk) return m;
    }
    return this.pickMerchant(rng, region);
  }

  private pickDigitalMerchant(rng: Prng, region: Region): number {
    for (let i = 0; i < 12; i++) {
      const m = this.pickMerchant(rng, region);
      if (this.mccOf(m).digital) return m;
    }
    return this.pickMerchant(rng, region);
  }

  // ---------------------------------------------------------------- checkout lifecycle

  private reviewerToken(region: Region, n: number): string {
    const k = REGIONS.indexOf(region) * 25 + n;
    return (this.reviewerTokens[k] ??= this.token(region, 'account', `reviewer-${n}`));
  }

  private cardToken(card: Card): string {
    return (card.token ??= this.pspTokenizer.tokenize('card', card.ref));
  }

  private subject(c: Checkout): Subject {
    const r = c.region;
    const sh = c.shopper;
    const a = c.address;
    return {
      accountToken: (sh.accountToken ??= this.token(r, 'account', sh.accountId)),
      ...(c.instrument.card ? { cardToken: this.cardToken(c.instrument.card), bin: c.instrument.card.bin } : {}),
      deviceToken: (c.device.token ??= this.token(r, 'device', c.device.raw)),
      ipToken: (c.ip.token ??= this.token(r, 'ip', c.ip.raw)),
      emailToken: (sh.emailToken ??= this.token(r, 'email', sh.email)),
      addressToken: (a.token ??= this.token(r, 'address', `${a.line1}|${a.city}|${a.postalCode}|${a.country}`)),
      merchantId: merchantId(c.merchant),
      paymentMethodId: c.instrument.method.id,
    };
  }

  private envelope(c: Checkout, timeMs: number): { eventId: string; schemaVersion: 1; occurredAt: string; region: Region } {
    return { eventId: uuid(this.rng), schemaVersion: 1, occurredAt: iso(timeMs), region: c.region };
  }

  private emit(timeMs: number, event: RiskEvent): void {
    this.heap.push(timeMs, { kind: 'event', event });
  }

  /** Runs one checkout through rules, step-up, review, authorisation, fulfilment, refunds, disputes and labels. */
  private process(c: Checkout): void {
    const rng = this.rng;
    const o = this.options;
    const subject = this.subject(c);
    const isFraud = c.scenario !== null;
    const mcc = this.mccOf(c.merchant);
    const merchantCountry = this.merchantCountryOf(c.merchant);
    const money = { value: c.amount, currency: c.currency };
    const original = { checkoutId: c.checkoutId, occurredAt: iso(c.timeMs) };
    let t = c.timeMs;

    this.emit(t, {
      ...this.envelope(c, t),
      type: 'checkout.started',
      payload: {
        checkoutId: c.checkoutId,
        subject,
        amount: money,
        channel: c.channel,
        accountCreatedAt: iso(c.shopper.accountCreatedMs),
        isGuest: c.shopper.isGuest,
        paymentType: c.instrument.method.type,
        ...(c.instrument.card ? { binCountry: c.instrument.card.country } : {}),
        ipCountry: c.ip.country,
        shippingCountry: c.address.country,
        merchantCountry: merchantCountry.code,
        mcc: mcc.mcc,
        itemCount: c.itemCount,
        digitalGoods: mcc.digital,
        highRiskCategory: mcc.highRisk,
        shippingMethod: mcc.digital ? 'digital' : rng.bernoulli(0.2) ? 'express' : 'standard',
      },
    });

    // Simulated legacy rules: a noisy view of the risk, plus PSD2-style step-up for EU cards.
    const score = Math.min(1, Math.max(0, c.riskHint + rng.normal(0, 0.08)));
    let action: Action = 'allow';
    if (score > 0.8) action = 'decline';
    else if (score > 0.6 && c.amount > 0) action = 'review';
    else if (c.instrument.card && (score > 0.4 || (c.region === 'eu' && rng.bernoulli(0.15)))) action = 'step_up';
    t += 20 + rng.int(60);
    if (o.emitDecisions) {
      this.emit(t, {
        ...this.envelope(c, t),
        type: 'decision.made',
        payload: {
          requestId: uuid(rng),
          checkoutId: c.checkoutId,
          subject,
          action,
          score: Math.round(score * 1e4) / 1e4,
          reasonCodes: action === 'allow' ? [] : ['SIM_LEGACY_RULES'],
          modelVersion: null,
          policyVersion: 'sim-legacy-rules-1',
          featureSet: { name: 'none', version: '0' },
          features: {},
          timings: { totalMs: 5 + rng.int(30) },
          degraded: [],
          arm: 'production',
        },
      });
    }
    if (action === 'decline') return;

    if (action === 'step_up') {
      t += (20 + rng.int(100)) * 1000;
      const u = rng.next();
      const outcome = isFraud
        ? u < (c.scenario === 'account_takeover' ? 0.35 : 0.15)
          ? 'passed'
          : u < 0.65
            ? 'failed'
            : 'abandoned'
        : u < 0.92
          ? 'passed'
          : u < 0.95
            ? 'failed'
            : 'abandoned';
      this.emit(t, { ...this.envelope(c, t), type: 'stepup.completed', payload: { checkoutId: c.checkoutId, subject, method: '3ds', outcome } });
      if (outcome !== 'passed') return;
    }

    if (action === 'review') {
      t += 15 * MINUTE + Math.floor(rng.exponential(1 / (3 * HOUR)));
      t = Math.min(t, c.timeMs + 47 * HOUR);
      const rejected = isFraud ? rng.bernoulli(0.85) : rng.bernoulli(0.05);
      this.emit(t, {
        ...this.envelope(c, t),
        type: 'review.completed',
        payload: { checkoutId: c.checkoutId, subject, reviewerToken: this.reviewerToken(c.region, rng.int(25)), outcome: rejected ? 'rejected' : 'approved' },
      });
      this.label(c, t + 1000, subject, original, rejected ? 'fraud' : 'legitimate', 'manual_review');
      if (rejected) return;
    }

    // Issuer authorisation.
    t += 300 + rng.int(1700);
    const paymentId = `pay_${c.checkoutId.slice(4)}`;
    const declineP = !isFraud
      ? 0.04
      : c.scenario === 'card_testing'
        ? 0.85
        : c.scenario === 'stolen_card' || c.scenario === 'compromised_merchant'
          ? 0.3
          : c.scenario === 'account_takeover'
            ? 0.12
            : 0.04;
    if (rng.bernoulli(declineP)) {
      const reason = isFraud && c.scenario !== 'friendly_fraud' ? pickDeclineFraud(rng, c.scenario) : pickDeclineLegit(rng);
      this.emit(t, { ...this.envelope(c, t), type: 'payment.declined', payload: { checkoutId: c.checkoutId, paymentId, subject, amount: money, reason } });
      if (reason === 'stolen_card' || reason === 'lost_card' || reason === 'suspected_fraud') {
        this.label(c, t + 1000 + rng.int(4000), subject, original, 'fraud', 'authorisation_failure');
      }
      return;
    }
    this.emit(t, { ...this.envelope(c, t), type: 'payment.authorised', payload: { checkoutId: c.checkoutId, paymentId, subject, amount: money } });

    // Fulfilment (a compromised merchant takes the money and ships nothing).
    let fulfilledAt = t;
    if (c.scenario !== 'compromised_merchant') {
      fulfilledAt = t + (mcc.digital ? MINUTE + rng.int(10 * MINUTE) : 4 * HOUR + rng.int(3 * DAY));
      this.emit(fulfilledAt, { ...this.envelope(c, fulfilledAt), type: 'order.fulfilled', payload: { checkoutId: c.checkoutId, orderId: `ord_${c.checkoutId.slice(4)}`, subject } });
    }

    if (!isFraud) {
      if (rng.bernoulli(0.04)) {
        const at = fulfilledAt + (2 + rng.int(20)) * DAY;
        const reason = rng.pick(['customer_request', 'customer_request', 'damaged', 'not_received', 'other'] as const);
        this.emit(at, { ...this.envelope(c, at), type: 'refund.issued', payload: { checkoutId: c.checkoutId, subject, amount: money, reason } });
      } else if (rng.bernoulli(0.002)) {
        const at = t + this.chargebackDelay(rng);
        this.emit(at, {
          ...this.envelope(c, at),
          type: 'chargeback.received',
          payload: { checkoutId: c.checkoutId, subject, original, amount: money, reasonCategory: 'not_as_described' },
        });
      }
      const matureAt = c.timeMs + o.maturityDays * DAY;
      if (matureAt <= this.endMs) this.label(c, matureAt, subject, original, 'legitimate', 'maturity');
      return;
    }

    // Fraud that got through: maybe an early issuer report, maybe a merchant refund, usually a chargeback.
    const neverReported = c.scenario === 'friendly_fraud' ? 0 : c.scenario === 'card_testing' ? Math.max(o.neverReportedShare, 0.7) : o.neverReportedShare;
    if (rng.bernoulli(neverReported)) return;
    const cbDelay = this.chargebackDelay(rng);
    if (c.scenario !== 'friendly_fraud' && rng.bernoulli(0.3)) {
      const at = t + Math.min(cbDelay - HOUR, (1 + rng.int(7)) * DAY);
      this.label(c, Math.max(t + HOUR, at), subject, original, 'fraud', 'issuer_fraud_report');
    }
    if (c.scenario !== 'friendly_fraud' && rng.bernoulli(0.03)) {
      const at = t + Math.min(cbDelay - HOUR, (1 + rng.int(5)) * DAY);
      this.emit(Math.max(t + HOUR, at), { ...this.envelope(c, Math.max(t + HOUR, at)), type: 'refund.issued', payload: { checkoutId: c.checkoutId, subject, amount: money, reason: 'fraud' } });
      return;
    }
    const at = t + cbDelay;
    const reasonCategory = c.scenario === 'friendly_fraud' || c.scenario === 'compromised_merchant' ? (rng.bernoulli(0.6) ? 'not_received' : 'fraud') : 'fraud';
    this.emit(at, { ...this.envelope(c, at), type: 'chargeback.received', payload: { checkoutId: c.checkoutId, subject, original, amount: money, reasonCategory } });
    this.label(c, at + 1000, subject, original, 'fraud', 'chargeback');
  }

  /** Log-normal around the median, clamped to [min, max] days: most arrive in weeks, a tail near ten weeks. */
  private chargebackDelay(rng: Prng): number {
    const o = this.options;
    const days = Math.min(o.chargebackMaxDays, Math.max(o.chargebackMinDays, rng.logNormal(Math.log(o.chargebackMedianDays), 0.6)));
    return Math.floor(days * DAY);
  }

  private label(
    c: Checkout,
    timeMs: number,
    subject: Subject,
    original: { checkoutId: string; occurredAt: string },
    label: 'fraud' | 'legitimate',
    source: 'chargeback' | 'issuer_fraud_report' | 'manual_review' | 'authorisation_failure' | 'maturity',
  ): void {
    this.emit(timeMs, { ...this.envelope(c, timeMs), type: 'label.confirmed', payload: { checkoutId: c.checkoutId, subject, original, label, source } });
  }

  /** The checkout as the checkout service would send it to the scorer (raw identifiers, PSP card token). */
  private scoringRequest(c: Checkout): ScoringRequest {
    const mcc = this.mccOf(c.merchant);
    return {
      schemaVersion: '1',
      checkoutId: c.checkoutId,
      region: c.region,
      occurredAt: iso(c.timeMs),
      channel: c.channel,
      amount: { value: c.amount, currency: c.currency },
      merchant: { id: merchantId(c.merchant), mcc: mcc.mcc, country: this.merchantCountryOf(c.merchant).code },
      shopper: {
        accountId: c.shopper.accountId,
        accountCreatedAt: iso(c.shopper.accountCreatedMs),
        isGuest: c.shopper.isGuest,
        email: c.shopper.email,
        ...(c.shopper.phone ? { phone: c.shopper.phone } : {}),
      },
      device: { id: c.device.raw, ip: c.ip.raw, ipCountry: c.ip.country, userAgentFamily: c.device.ua },
      payment: {
        methodId: c.instrument.method.id,
        type: c.instrument.method.type,
        ...(c.instrument.card
          ? { card: { token: this.cardToken(c.instrument.card), bin: c.instrument.card.bin, country: c.instrument.card.country, network: c.instrument.card.network } }
          : {}),
      },
      shipping: {
        address: { line1: c.address.line1, city: c.address.city, postalCode: c.address.postalCode, country: c.address.country },
        method: mcc.digital ? 'digital' : 'standard',
      },
      items: { count: c.itemCount, digitalGoods: mcc.digital, highRiskCategory: mcc.highRisk },
    };
  }
}

function truthOf(c: Checkout): CheckoutTruth {
  return { checkoutId: c.checkoutId, occurredAt: iso(c.timeMs), region: c.region, isFraud: c.scenario !== null, scenario: c.scenario };
}

function byRegion<T extends { region: Region }>(items: readonly T[], weight: (t: T) => number): Record<Region, { list: T[]; weights: number[] }> {
  const out = { eu: { list: [], weights: [] }, us: { list: [], weights: [] }, apac: { list: [], weights: [] } } as Record<Region, { list: T[]; weights: number[] }>;
  for (const it of items) {
    out[it.region].list.push(it);
    out[it.region].weights.push(weight(it));
  }
  return out;
}

type DeclineReason = 'insufficient_funds' | 'do_not_honor' | 'stolen_card' | 'lost_card' | 'suspected_fraud' | 'invalid_cvv' | 'expired_card' | 'limit_exceeded' | 'issuer_unavailable' | 'other';

function pickDeclineLegit(rng: Prng): DeclineReason {
  return rng.pick(['insufficient_funds', 'insufficient_funds', 'do_not_honor', 'expired_card', 'limit_exceeded', 'issuer_unavailable', 'invalid_cvv', 'other'] as const);
}

function pickDeclineFraud(rng: Prng, scenario: FraudScenario | null): DeclineReason {
  if (scenario === 'card_testing') return rng.pick(['invalid_cvv', 'invalid_cvv', 'expired_card', 'do_not_honor', 'insufficient_funds', 'suspected_fraud'] as const);
  return rng.pick(['stolen_card', 'lost_card', 'suspected_fraud', 'suspected_fraud', 'do_not_honor'] as const);
}

function merchantId(m: number): string {
  return `m_${m}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function roundMoney(v: number, currency: string): number {
  return currency === 'JPY' || currency === 'KRW' ? Math.max(1, Math.round(v)) : Math.round(v * 100) / 100;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(n: number): string {
  return `${HEX_BYTE[(n >>> 24) & 255]}${HEX_BYTE[(n >>> 16) & 255]}${HEX_BYTE[(n >>> 8) & 255]}${HEX_BYTE[n & 255]}`;
}

/**
 * RFC 4122 version-4 layout from the seeded stream, so runs are reproducible. About 1 in 500 random UUIDs holds a
 * dash-separated, Luhn-valid 13-19 digit run that the contract's PAN guard refuses; those are redrawn.
 */
function uuid(rng: Prng): string {
  for (let i = 0; i < 16; i++) {
    const id = rawUuid(rng);
    if (!containsPan(id)) return id;
  }
  return rawUuid(rng);
}

function rawUuid(rng: Prng): string {
  const a = hex(rng.nextUint32());
  const b = rng.nextUint32();
  const c = rng.nextUint32();
  const d = hex(rng.nextUint32());
  const b1 = hex(b);
  const versioned = hex(((b & 0xffff0fff) | 0x00004000) >>> 0);
  const variantWord = hex(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${a}-${b1.slice(0, 4)}-${versioned.slice(4, 8)}-${variantWord.slice(0, 4)}-${variantWord.slice(4, 8)}${d}`;
}
