import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPanPaths, parseScoringRequest, riskEventSchema, type RiskEvent } from '@risk/contract-events';
import { createTokenizer } from '@risk/util-privacy';
import { buildPaymentMethods } from './marketplace.catalog';
import { writeMarketplaceJsonl } from './marketplace-output';
import { MARKETPLACE_DEFAULTS, MarketplaceSimulator, defaultPeak, diurnalFactor, peakFactor } from './marketplace-simulator';
import type { MarketplaceItem, MarketplaceSimulationOptions, ScoringSample } from './marketplace.types';

const DAY = 86_400_000;
/** Small world with every fraud scenario boosted so each shows up in three days. */
const SMALL: Partial<MarketplaceSimulationOptions> = {
  seed: 5,
  shoppers: 2000,
  merchants: 3000,
  days: 3,
  checkoutsPerShopperPerDay: 0.5,
  attackRates: { stolen_card: 0.01, account_takeover: 0.006, card_testing: 0.0012 },
  friendlyFraudRate: 0.01,
  compromisedMerchantsPerDay: 1,
  compromisedMerchantOrdersPerDay: 10,
  maturityDays: 1,
};

const ms = (iso: string): number => Date.parse(iso);

describe('MarketplaceSimulator', () => {
  const items: MarketplaceItem[] = [...new MarketplaceSimulator(SMALL).items()];
  const events = items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
  const samples = items.flatMap((i) => (i.kind === 'checkout' ? [i.sample] : []));
  const truth = new Map(samples.map((s) => [s.truth.checkoutId, s]));
  const ofType = <T extends RiskEvent['type']>(t: T): Extract<RiskEvent, { type: T }>[] =>
    events.filter((e): e is Extract<RiskEvent, { type: T }> => e.type === t);

  it('offers 120 payment methods across eu, us and apac', () => {
    const methods = buildPaymentMethods();
    expect(methods).toHaveLength(120);
    expect(new Set(methods.map((m) => m.id)).size).toBe(120);
    for (const r of ['eu', 'us', 'apac']) {
      const types = new Set(methods.filter((m) => m.region === r).map((m) => m.type));
      expect([...types]).toEqual(expect.arrayContaining(['card', 'wallet', 'bnpl', 'bank_transfer']));
    }
  });

  it('emits only contract-valid events, in time order', () => {
    expect(events.length).toBeGreaterThan(5000);
    const invalid = events
      .map((e) => ({ e, r: riskEventSchema.safeParse(e) }))
      .filter(({ r }) => !r.success)
      .map(({ e, r }) => ({ type: e.type, issues: r.error?.issues.slice(0, 2) }));
    expect(invalid.slice(0, 3)).toEqual([]);
    const outOfOrder = events.filter((e, i) => i > 0 && ms(e.occurredAt) < ms((events[i - 1] as RiskEvent).occurredAt));
    expect(outOfOrder).toEqual([]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'checkout.started',
      'decision.made',
      'payment.authorised',
      'payment.declined',
      'stepup.completed',
      'review.completed',
      'order.fulfilled',
      'refund.issued',
      'chargeback.received',
      'label.confirmed',
    ] as const) {
      expect(types).toContain(t);
    }
  });

  it('yields contract-valid scoring requests with ground truth, tokenised consistently with the events', () => {
    const bad = samples.filter((s) => {
      try {
        parseScoringRequest(s.request);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
    const scenarios = new Set(samples.map((s) => s.truth.scenario));
    expect([...scenarios]).toEqual(expect.arrayContaining([null, 'stolen_card', 'account_takeover', 'card_testing', 'compromised_merchant', 'friendly_fraud']));
    // A scorer configured with the simulator's key mints the same tokens from the raw request.
    const tk = createTokenizer({ region: 'eu', keys: { sim: MARKETPLACE_DEFAULTS.tokenKey }, activeKeyId: 'sim' });
    const started = new Map(ofType('checkout.started').map((e) => [e.payload.checkoutId, e]));
    const euSample = samples.find((s) => s.request.region === 'eu') as ScoringSample;
    const ev = started.get(euSample.request.checkoutId);
    expect(ev?.payload.subject.emailToken).toBe(tk.tokenize('email', euSample.request.shopper.email));
    expect(ev?.payload.subject.ipToken).toBe(tk.tokenize('ip', euSample.request.device.ip));
    expect(ev?.payload.subject.accountToken).toBe(tk.tokenize('account', euSample.request.shopper.accountId));
    expect(started.size).toBe(samples.length);
  });

  it('delivers labels with realistic, bounded delays', () => {
    const cb = ofType('chargeback.received');
    expect(cb.length).toBeGreaterThan(20);
    const cbDelays = cb.map((e) => (ms(e.occurredAt) - ms(e.payload.original.occurredAt)) / DAY);
    expect(cbDelays.filter((d) => d < 2 || d > 70.01)).toEqual([]);
    // Skewed: the median is well below the midpoint of the range, with a tail towards ten weeks.
    const sorted = [...cbDelays].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(36);
    expect(sorted[sorted.length - 1]).toBeGreaterThan(35);

    const labels = ofType('label.confirmed');
    const delay = (e: (typeof labels)[number]): number => ms(e.occurredAt) - ms(e.payload.original.occurredAt);
    const bySource = (s: string): typeof labels => labels.filter((l) => l.payload.source === s);
    expect(bySource('authorisation_failure').length).toBeGreaterThan(0);
    // Authorisation failures are labelled within seconds of the decline.
    const declinedAt = new Map(ofType('payment.declined').map((e) => [e.payload.checkoutId, ms(e.occurredAt)]));
    expect(
      bySource('authorisation_failure').filter((l) => {
        const at = declinedAt.get(l.payload.checkoutId);
        return at === undefined || ms(l.occurredAt) - at > 10_000 || ms(l.occurredAt) < at || l.payload.label !== 'fraud';
      }),
    ).toEqual([]);
    expect(bySource('chargeback').filter((l) => delay(l) < 2 * DAY || delay(l) > 70 * DAY + 5000)).toEqual([]);
    expect(bySource('manual_review').filter((l) => delay(l) > 48 * 3_600_000)).toEqual([]);
    expect(bySource('maturity').filter((l) => delay(l) !== DAY || l.payload.label !== 'legitimate')).toEqual([]);
    // Every fraud label points at a real checkout; fraud chargeback labels only at fraudulent ones.
    expect(labels.filter((l) => !truth.has(l.payload.checkoutId))).toEqual([]);
    expect(bySource('chargeback').filter((l) => !truth.get(l.payload.checkoutId)?.truth.isFraud)).toEqual([]);
  });

  it('leaves a share of authorised frauds unreported', () => {
    // A run dense in third-party fraud, so the share is measured on enough cases.
    const dense = [...new MarketplaceSimulator({ ...SMALL, days: 2, shoppers: 1000, attackRates: { stolen_card: 0.06, account_takeover: 0.02, card_testing: 0 } }).items()];
    const ev = dense.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
    const denseSamples = dense.flatMap((i) => (i.kind === 'checkout' ? [i.sample] : []));
    const authorised = new Set(ev.flatMap((e) => (e.type === 'payment.authorised' ? [e.payload.checkoutId] : [])));
    const disputed = new Set(
      ev.flatMap((e) => (e.type === 'chargeback.received' || (e.type === 'refund.issued' && e.payload.reason === 'fraud') ? [e.payload.checkoutId] : [])),
    );
    const thirdParty = new Set(['stolen_card', 'account_takeover', 'compromised_merchant']);
    const frauds = denseSamples.filter((s) => thirdParty.has(s.truth.scenario ?? '') && authorised.has(s.truth.checkoutId));
    const unreported = frauds.filter((s) => !disputed.has(s.truth.checkoutId)).length / frauds.length;
    expect(frauds.length).toBeGreaterThan(40);
    expect(unreported).toBeGreaterThan(0.1);
    expect(unreported).toBeLessThan(0.45);
    // Friendly fraud is always disputed by the cardholder.
    const friendly = denseSamples.filter((s) => s.truth.scenario === 'friendly_fraud' && authorised.has(s.truth.checkoutId));
    expect(friendly.filter((s) => !disputed.has(s.truth.checkoutId))).toEqual([]);
  });

  it('shapes the fraud scenarios: card-testing bursts, account takeover, compromised merchant', () => {
    const started = ofType('checkout.started');
    const declined = new Set(ofType('payment.declined').map((e) => e.payload.checkoutId));
    const testing = started.filter((e) => truth.get(e.payload.checkoutId)?.truth.scenario === 'card_testing');
    const perDevice = new Map<string, typeof testing>();
    for (const e of testing) perDevice.set(e.payload.subject.deviceToken as string, [...(perDevice.get(e.payload.subject.deviceToken as string) ?? []), e]);
    expect(perDevice.size).toBeGreaterThan(0);
    for (const burst of perDevice.values()) {
      expect(burst.length).toBeGreaterThanOrEqual(20);
      expect(new Set(burst.map((e) => e.payload.subject.cardToken)).size).toBe(burst.length);
      expect(new Set(burst.map((e) => e.payload.subject.ipToken)).size).toBe(1);
      expect(ms((burst[burst.length - 1] as RiskEvent).occurredAt) - ms((burst[0] as RiskEvent).occurredAt)).toBeLessThan(30 * 60_000);
    }
    const authorised = new Set(ofType('payment.authorised').map((e) => e.payload.checkoutId));
    const testingAuthAttempts = testing.filter((e) => declined.has(e.payload.checkoutId) || authorised.has(e.payload.checkoutId));
    const declineRate = testingAuthAttempts.filter((e) => declined.has(e.payload.checkoutId)).length / testingAuthAttempts.length;
    expect(declineRate).toBeGreaterThan(0.6);

    // Account takeover: a known account on a device and at an address it never used before.
    const seenDevices = new Map<string, Set<string>>();
    const seenAddresses = new Map<string, Set<string>>();
    let ato = 0;
    for (const e of started) {
      const acct = e.payload.subject.accountToken;
      const devs = seenDevices.get(acct) ?? new Set<string>();
      const addrs = seenAddresses.get(acct) ?? new Set<string>();
      const t = truth.get(e.payload.checkoutId)?.truth;
      if (t?.scenario === 'account_takeover' && devs.size > 0 && !addrs.has(e.payload.subject.addressToken as string)) {
        ato++;
        expect(devs.has(e.payload.subject.deviceToken as string)).toBe(false);
      }
      if (t?.scenario !== 'account_takeover') {
        devs.add(e.payload.subject.deviceToken as string);
        addrs.add(e.payload.subject.addressToken as string);
      }
      seenDevices.set(acct, devs);
      seenAddresses.set(acct, addrs);
    }
    expect(ato).toBeGreaterThan(0);

    // Compromised merchants never fulfil their fraudulent orders.
    const fulfilled = new Set(ofType('order.fulfilled').map((e) => e.payload.checkoutId));
    const cm = samples.filter((s) => s.truth.scenario === 'compromised_merchant');
    expect(cm.length).toBeGreaterThan(5);
    expect(cm.filter((s) => fulfilled.has(s.truth.checkoutId))).toEqual([]);
  });

  it('writes deterministic JSONL with no raw PII (no PAN-like digit runs, emails, IPs, street addresses, device ids)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marketplace-'));
    try {
      const opts = { ...SMALL, days: 1, shoppers: 800 };
      const a = join(dir, 'a.jsonl');
      const b = join(dir, 'b.jsonl');
      const c = join(dir, 'c.jsonl');
      const ra = await writeMarketplaceJsonl(opts, a);
      await writeMarketplaceJsonl(opts, b);
      await writeMarketplaceJsonl({ ...opts, seed: 6 }, c);
      const text = readFileSync(a, 'utf8');
      const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
      expect(sha(b)).toBe(sha(a));
      expect(sha(c)).not.toBe(sha(a));
      expect(text.trimEnd().split('\n')).toHaveLength(ra.stats.events);

      expect(text.match(/\d{13,19}/g)).toBeNull();
      // Spaced/dashed forms: the contract's own Luhn-checked PAN guard over every field.
      const panPaths = text
        .trimEnd()
        .split('\n')
        .flatMap((line) => findPanPaths(JSON.parse(line)));
      expect(panPaths).toEqual([]);
      expect(text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)).toBeNull();
      expect(text.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g)).toBeNull();
      expect(text).not.toContain('Simulated Street');
      expect(text).not.toContain('"dev_');
      expect(text).not.toContain('+1 555');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('traffic shape', () => {
  it('has a diurnal baseline with mean 1 and a peak ramping to 9x within minutes', () => {
    let s = 0;
    for (let m = 0; m < 1440; m++) s += diurnalFactor(m * 60_000, 0.6);
    expect(s / 1440).toBeCloseTo(1, 6);
    const peak = defaultPeak(0);
    expect(peakFactor(peak.startMinute - 1, peak)).toBe(1);
    expect(peakFactor(peak.startMinute + peak.rampUpMinutes, peak)).toBe(9);
    expect(peakFactor(peak.startMinute + peak.rampUpMinutes + peak.holdMinutes + peak.rampDownMinutes, peak)).toBe(1);
  });

  it('realises an 8-10x checkout peak over the diurnal baseline', () => {
    const peak = defaultPeak(0);
    const sim = new MarketplaceSimulator({ seed: 9, shoppers: 1500, merchants: 2000, days: 1, checkoutsPerShopperPerDay: 5, peak, emitDecisions: false });
    const start = sim.start.getTime();
    const perMinute = new Array<number>(1440).fill(0);
    for (const item of sim.items()) if (item.kind === 'checkout') perMinute[Math.floor((item.timeMs - start) / 60_000)]++;
    const holdFrom = peak.startMinute + peak.rampUpMinutes;
    const holdTo = holdFrom + peak.holdMinutes;
    const window = (from: number, to: number): { n: number; d: number } => {
      let n = 0;
      let d = 0;
      for (let m = from; m < to; m++) {
        n += perMinute[m] as number;
        d += diurnalFactor(start + m * 60_000 + 30_000, 0.6);
      }
      return { n, d };
    };
    const hold = window(holdFrom, holdTo);
    const before = window(peak.startMinute - 120, peak.startMinute);
    const ratio = hold.n / hold.d / (before.n / before.d);
    expect(before.n).toBeGreaterThan(300);
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(10);
    // It gets there within minutes: the ramp minutes already average well above the baseline.
    const ramp = window(peak.startMinute, holdFrom);
    expect(ramp.n / ramp.d / (before.n / before.d)).toBeGreaterThan(3);
  });
});
