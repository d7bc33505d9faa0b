import fc from 'fast-check';
import { exampleCheckoutStarted, exampleLabelConfirmed, parseRiskEvent } from '@risk/contract-events';
import type { RiskEvent, Subject } from '@risk/contract-events';
import { computeBatch, requestEntityKeys, routeEvent, runStreaming, toFeatureRecord } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { CHECKOUT_LATENESS, checkoutFeatureSet } from './checkout.feature-set';
import type { CheckoutVector } from './checkout.feature-set';
import { checkoutEventId, toFeatureEvents } from './checkout-events.adapter';

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const tok = (kind: string, i: number): string => `tok_eu1_${kind}${String(i).padStart(16, '0')}`;

describe('checkout feature set', () => {
  it('covers the marketplace entities with ~60 uniquely named features', () => {
    expect(checkoutFeatureSet.featureNames.length).toBeGreaterThanOrEqual(40);
    expect(new Set(checkoutFeatureSet.featureNames).size).toBe(checkoutFeatureSet.featureNames.length);
    expect(checkoutFeatureSet.entities.map((e) => e.name)).toEqual(
      expect.arrayContaining(['account', 'card', 'device', 'ip', 'email', 'address', 'merchant', 'payment_method', 'bin', 'account+device', 'account+address']),
    );
  });

  it('maps contract events to engine events with tokens as keys and labels referencing the checkout', () => {
    const started = toFeatureEvents(parseRiskEvent(exampleCheckoutStarted()));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ eventId: checkoutEventId('chk_01J9Z3Q8W4K7'), type: 'checkout.started', time: Date.parse('2026-11-27T09:15:02.120Z') });
    expect(started[0].entities['account']).toMatch(/^tok_/);
    const label = toFeatureEvents(parseRiskEvent(exampleLabelConfirmed()))[0];
    expect(label.ref?.eventId).toMatch(/^checkout:/);
    expect(label.ref?.time).toBeLessThan(label.time);
    // one request reads every entity state of the set it has keys for, in one batch
    expect(requestEntityKeys(checkoutFeatureSet, started[0]).length).toBe(checkoutFeatureSet.entities.length);
    expect(routeEvent(checkoutFeatureSet, label).map((r) => r.plan.name).sort()).toEqual(['bin', 'merchant', 'payment_method']);
  });

  it('computes request-time and history features for a first and a repeat checkout', () => {
    const first = toFeatureEvents(parseRiskEvent(exampleCheckoutStarted()))[0];
    const again = { ...first, eventId: checkoutEventId('chk_2'), time: first.time + 10 * MIN, values: { ...first.values, amount: 400 } };
    const result = computeBatch(checkoutFeatureSet, [first, again], [first, again]);
    const w = result.width;
    const v1: CheckoutVector = toFeatureRecord(checkoutFeatureSet, result.values.subarray(0, w));
    const v2: CheckoutVector = toFeatureRecord(checkoutFeatureSet, result.values.subarray(w, 2 * w));
    expect(v1.amount).toBeCloseTo(129.9);
    expect(v1.account_age_days).toBeCloseTo((Date.parse('2026-11-27T09:15:02.120Z') - Date.parse('2024-03-11T18:20:00Z')) / DAY);
    expect(v1.bin_country_ne_shipping).toBe(0);
    expect(v1.new_device_for_account).toBe(1);
    expect(v1.account_checkouts_1h).toBe(1);
    expect(v2.new_device_for_account).toBe(0);
    expect(v2.account_checkouts_1h).toBe(2);
    expect(v2.account_avg_amount_30d).toBeCloseTo(129.9);
    expect(v2.account_amount_to_avg_30d).toBeCloseTo(400 / 129.9);
    // measured from the start of the previous event's 1-minute history bucket (09:15:00.000), so 602.12 s, not 600
    expect(v2.account_seconds_since_last_30d).toBeCloseTo(602.12, 6);
    expect(v2.card_distinct_accounts_7d).toBe(1);
  });
});

const subjectArb = fc.record({ acct: fc.nat(3), card: fc.nat(4), dev: fc.nat(2), ip: fc.nat(2), addr: fc.nat(2), merchant: fc.nat(1), bin: fc.nat(1) });
const checkoutArb = fc.record({
  s: subjectArb,
  offset: fc.integer({ min: 0, max: 70 * DAY }),
  cents: fc.integer({ min: 1, max: 200_000 }),
  outcome: fc.constantFrom('authorised', 'declined', 'none'),
  stepUpFailed: fc.boolean(),
  fulfilledRefund: fc.constantFrom('none', 'fulfilled', 'refund'),
  chargebackAfter: fc.option(fc.integer({ min: 1, max: 70 * DAY }), { nil: undefined }),
  labelAfter: fc.option(fc.record({ after: fc.integer({ min: 0, max: 70 * DAY }), fraud: fc.boolean() }), { nil: undefined }),
  binCountry: fc.constantFrom('DE', 'FR', undefined),
});

function subjectOf(s: { acct: number; card: number; dev: number; ip: number; addr: number; merchant: number; bin: number }): Subject {
  return {
    accountToken: tok('acct', s.acct),
    cardToken: tok('card', s.card),
    deviceToken: tok('dev', s.dev),
    ipToken: tok('ip', s.ip),
    emailToken: tok('mail', s.acct),
    addressToken: tok('addr', s.addr),
    merchantId: `m_${s.merchant}`,
    paymentMethodId: `pm_card_${s.bin}`,
    bin: `41111${s.bin}`,
  };
}

/** Valid contract events (checked with the contract parser) for a random marketplace history. */
type GeneratedCheckout = typeof checkoutArb extends fc.Arbitrary<infer T> ? T : never;

function contractHistory(checkouts: GeneratedCheckout[]): RiskEvent[] {
  const out: RiskEvent[] = [];
  let n = 0;
  const env = (time: number) => ({ eventId: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`, schemaVersion: 1 as const, occurredAt: iso(time), region: 'eu' as const });
  checkouts.forEach((c, i) => {
    const time = T0 + c.offset;
    const subject = subjectOf(c.s);
    const checkoutId = `chk_${i}`;
    // quarter units keep float sums exact, so streaming and batch can be compared bit for bit
    const amount = { value: c.cents / 4, currency: 'EUR' };
    const original = { checkoutId, occurredAt: iso(time) };
    out.push({
      ...env(time),
      type: 'checkout.started',
      payload: {
        checkoutId,
        subject,
        amount,
        channel: 'web',
        accountCreatedAt: iso(T0 - 100 * DAY),
        isGuest: false,
        paymentType: 'card',
        binCountry: c.binCountry,
        ipCountry: 'DE',
        shippingCountry: 'DE',
        merchantCountry: 'DE',
        mcc: '5732',
        itemCount: 1,
        digitalGoods: false,
        highRiskCategory: false,
        shippingMethod: 'standard',
      },
    });
    if (c.outcome === 'authorised') out.push({ ...env(time + 2000), type: 'payment.authorised', payload: { checkoutId, paymentId: `p${i}`, subject, amount } });
    if (c.outcome === 'declined') out.push({ ...env(time + 2000), type: 'payment.declined', payload: { checkoutId, paymentId: `p${i}`, subject, amount, reason: 'do_not_honor' } });
    if (c.stepUpFailed) out.push({ ...env(time + 1000), type: 'stepup.completed', payload: { checkoutId, subject, method: '3ds', outcome: 'failed' } });
    if (c.fulfilledRefund !== 'none') out.push({ ...env(time + DAY), type: 'order.fulfilled', payload: { checkoutId, orderId: `o${i}`, subject } });
    if (c.fulfilledRefund === 'refund') out.push({ ...env(time + 5 * DAY), type: 'refund.issued', payload: { checkoutId, subject, amount, reason: 'not_received' } });
    if (c.chargebackAfter !== undefined) {
      out.push({ ...env(time + c.chargebackAfter), type: 'chargeback.received', payload: { checkoutId, subject, original, amount, reasonCategory: 'fraud' } });
    }
    if (c.labelAfter) {
      out.push({
        ...env(time + c.labelAfter.after),
        type: 'label.confirmed',
        payload: { checkoutId, subject, original, label: c.labelAfter.fraud ? 'fraud' : 'legitimate', source: 'chargeback' },
      });
    }
  });
  return out.map((e) => parseRiskEvent(e));
}

describe('checkout set: streaming equals batch (property)', () => {
  it('gives identical vectors on simulated marketplace histories with disorder, redelivery and late labels', () => {
    fc.assert(
      fc.property(
        fc.array(checkoutArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: CHECKOUT_LATENESS - 1 }), { minLength: 50, maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (checkouts, jitter, dupes) => {
          const events: EngineEvent[] = contractHistory(checkouts).flatMap(toFeatureEvents);
          const requests = events.filter((e) => e.type === 'checkout.started');
          const deliveries = [...events, ...dupes.map((d) => events[d % events.length])];
          const arrivals = deliveries
            .map((e, i) => ({ e, key: e.time + jitter[i % jitter.length], i }))
            .sort((a, b) => a.key - b.key || a.i - b.i)
            .map((x) => x.e);
          const batch = computeBatch(checkoutFeatureSet, events, requests);
          const stream = runStreaming(checkoutFeatureSet, arrivals, requests, { lateness: CHECKOUT_LATENESS, packed: true });
          expect(stream.outcomes.late).toBe(0);
          expect(Array.from(stream.values)).toEqual(Array.from(batch.values));
          expect(Array.from(stream.missing)).toEqual(Array.from(batch.missing));
          expect(Array.from(stream.ages)).toEqual(Array.from(batch.ages));
        },
      ),
      { numRuns: 100, endOnFailure: true },
    );
  });
});
