import fc from 'fast-check';
import { DAY, HOUR, MINUTE } from './duration';
import type { EngineEvent } from './feature-dsl';
import { defineEntity, defineWindowedView, ratioFeature, requestFeature, windowFeature } from './feature-dsl';
import { DuplicateFeatureNameError, EntityKeyNotTokenError, EntityStateDecodeError, FeatureDefinitionError, UnsortedInputError } from './feature-engine.errors';
import { defineFeatureSet, entityStateKey, toFloat32 } from './feature-set';
import { applyEvent, createEntityState, routeEvent } from './entity-state';
import { decodeEntityState, encodeEntityState } from './state-codec';
import { readVector } from './read-vector';
import { BatchReplayer, computeBatch } from './batch-replay';
import { runStreaming } from './streaming-runner';

const account = defineEntity({ name: 'account', keyField: 'accountToken', description: 'shopper account' });
const device = defineEntity({ name: 'device', keyField: 'deviceToken', description: 'device fingerprint token' });
const merchant = defineEntity({ name: 'merchant', keyField: 'merchantId', description: 'merchant' });
const LATENESS = 10 * MINUTE;
const amount = (e: EngineEvent): number => e.values['amount'] as number;

const acctTx = defineWindowedView({ name: 'acct_tx', entity: account, events: ['tx'], value: amount, resolution: 1, lateness: LATENESS });
const acctHist = defineWindowedView({ name: 'acct_hist', entity: account, events: ['tx'], value: amount, resolution: MINUTE, includeCurrent: false, lateness: LATENESS });
const deviceCards = defineWindowedView({
  name: 'device_cards',
  entity: device,
  events: ['tx'],
  distinct: (e) => e.entities['card'],
  distinctK: 4,
  resolution: HOUR,
  lateness: LATENESS,
});
const merchantAttempts = defineWindowedView({
  name: 'merchant_attempts',
  entity: merchant,
  events: ['tx', 'decline'],
  labels: { events: ['label'], value: (e) => (e.values['fraud'] ? 1 : 0) },
  labelDelay: 2 * DAY,
  resolution: HOUR,
  lateness: LATENESS,
});
const merchantDeclines = defineWindowedView({ name: 'merchant_declines', entity: merchant, events: ['decline'], resolution: HOUR, lateness: LATENESS });
const merchantRecent = defineWindowedView({ name: 'merchant_recent', entity: merchant, events: ['tx', 'decline'], resolution: HOUR, lateness: LATENESS });
const pairSeen = defineWindowedView({ name: 'acct_device', entity: [account, device], events: ['tx'], resolution: MINUTE, includeCurrent: false, lateness: LATENESS });

const testSet = defineFeatureSet({
  name: 'engine-test',
  version: 1,
  features: [
    requestFeature('amount', { compute: amount }),
    requestFeature('is_night', { dtype: 'bool', compute: (r) => new Date(r.time).getUTCHours() < 6 }),
    windowFeature('acct_n_1h', acctTx, { agg: 'count', window: HOUR }),
    windowFeature('acct_sum_1d', acctTx, { agg: 'sum', window: DAY }),
    windowFeature('acct_avg_1d', acctTx, { agg: 'avg', window: DAY, default: -1 }),
    windowFeature('acct_min_7d', acctTx, { agg: 'min', window: 7 * DAY }),
    windowFeature('acct_max_7d', acctTx, { agg: 'max', window: 7 * DAY }),
    windowFeature('acct_std_7d', acctTx, { agg: 'std', window: 7 * DAY }),
    windowFeature('acct_since_last_7d', acctTx, { agg: 'sinceLast', window: 7 * DAY, default: -1 }),
    windowFeature('acct_hist_n_7d', acctHist, { agg: 'count', window: 7 * DAY }),
    windowFeature('acct_hist_z_7d', acctHist, { agg: 'zscore', window: 7 * DAY }),
    windowFeature('acct_hist_ratio_7d', acctHist, { agg: 'ratioToAvg', window: 7 * DAY, default: 1 }),
    windowFeature('device_cards_1d', deviceCards, { agg: 'distinct', window: DAY }),
    windowFeature('device_cards_7d', deviceCards, { agg: 'distinct', window: 7 * DAY }),
    windowFeature('merchant_n_1d_delayed', merchantAttempts, { agg: 'count', window: DAY }),
    windowFeature('merchant_labels_7d', merchantAttempts, { agg: 'labelCount', window: 7 * DAY }),
    windowFeature('merchant_fraud_rate_7d', merchantAttempts, { agg: 'labelRate', window: 7 * DAY }),
    ratioFeature('merchant_decline_rate_1d', { numerator: { view: merchantDeclines, of: 'count' }, denominator: { view: merchantRecent, of: 'count' }, window: DAY }),
    windowFeature('device_seen_for_acct_30d', pairSeen, { agg: 'count', window: 30 * DAY }),
  ],
});

const T0 = Date.UTC(2026, 0, 5);

describe('feature definitions', () => {
  it('rejects duplicate feature names with a typed error', () => {
    const f = requestFeature('x', { compute: () => 1 });
    expect(() => defineFeatureSet({ name: 's', version: 1, features: [f, requestFeature('x', { compute: () => 2 })] })).toThrow(DuplicateFeatureNameError);
    try {
      defineFeatureSet({ name: 's', version: 1, features: [f, f] });
    } catch (err) {
      expect(err).toMatchObject({ code: 'FEATURE_NAME_DUPLICATE', featureName: 'x' });
    }
  });

  it('rejects inconsistent definitions', () => {
    expect(() => defineWindowedView({ name: 'v', entity: account, events: ['tx'], labelDelay: 500, resolution: 1000 })).toThrow(FeatureDefinitionError);
    expect(() => windowFeature('d', acctTx, { agg: 'distinct', window: DAY })).toThrow(FeatureDefinitionError);
    expect(() => windowFeature('w', acctHist, { agg: 'count', window: 90_000 })).toThrow(FeatureDefinitionError);
    expect(() => defineEntity({ name: 'Bad Name', keyField: 'x', description: '' })).toThrow(FeatureDefinitionError);
  });

  it('exposes ordered names, a typed record and a float32 encoding', () => {
    expect(testSet.featureNames[0]).toBe('amount');
    expect(testSet.featureNames).toHaveLength(19);
    const v = readVector(testSet, new Map(), tx('a', T0, { amount: 12.5 }));
    const f32 = toFloat32(testSet, v.values);
    expect(f32).toBeInstanceOf(Float32Array);
    expect(f32[0]).toBe(12.5);
  });

  it('keys entity states by a pure function and refuses raw PII as keys', () => {
    expect(entityStateKey(testSet, 'account', 'tok_1')).toBe('fs:engine-test:v1:account:tok_1');
    expect(routeEvent(testSet, tx('a', T0)).map((r) => r.key)).toContain(`fs:engine-test:v1:account+device:acct_a\u001fdev_a`);
    expect(() => routeEvent(testSet, { ...tx('a', T0), entities: { account: 'jane@example.com' } })).toThrow(EntityKeyNotTokenError);
    expect(() => routeEvent(testSet, { ...tx('a', T0), entities: { account: 'x', card: '4111111111111111' }, type: 'tx' })).not.toThrow();
    expect(() => routeEvent(testSet, { ...tx('a', T0), entities: { device: '4111111111111111' } })).toThrow(EntityKeyNotTokenError);
  });
});

let seq = 0;
function tx(acct: string, time: number, values: Record<string, number> = { amount: 10 }, type = 'tx', card = 'card_1'): EngineEvent {
  return { eventId: `e${seq++}`, type, time, entities: { account: `acct_${acct}`, device: `dev_${acct}`, merchant: 'm1', card }, values };
}

describe('streaming state', () => {
  it('is idempotent by event id and drops events older than the lateness horizon', () => {
    const state = createEntityState(testSet, 'account');
    const e = tx('a', T0 + HOUR);
    expect(applyEvent(state, e)).toBe('applied');
    expect(applyEvent(state, e)).toBe('duplicate');
    expect(applyEvent(state, tx('a', T0 + HOUR - 5 * MINUTE))).toBe('applied');
    expect(applyEvent(state, tx('a', T0))).toBe('late');
    expect(applyEvent(state, tx('a', T0 + 2 * HOUR, { amount: 1 }, 'unknown'))).toBe('ignored');
  });

  it('round-trips the packed state exactly (and rejects corrupt or foreign blobs)', () => {
    const states = new Map();
    const events = [tx('a', T0, { amount: 5 }), tx('a', T0 + MINUTE, { amount: 7.25 }, 'tx', 'card_2'), tx('a', T0 + 2 * DAY, { amount: 1 }), tx('a', T0 + 2 * DAY + 1, { amount: 3 }, 'decline')];
    const label: EngineEvent = { eventId: 'l1', type: 'label', time: T0 + 3 * DAY, entities: { merchant: 'm1' }, values: { fraud: true }, ref: { eventId: events[0].eventId, time: T0 } };
    for (const e of [...events, label]) {
      for (const r of routeEvent(testSet, e)) {
        const s = states.get(r.key) ?? createEntityState(testSet, r.plan.name);
        states.set(r.key, s);
        applyEvent(s, e);
      }
    }
    const decoded = new Map();
    for (const [key, s] of states) {
      const bytes = encodeEntityState(testSet, s);
      const back = decodeEntityState(testSet, s.plan.name, bytes);
      expect(back).toEqual(s);
      expect(encodeEntityState(testSet, back)).toEqual(bytes);
      decoded.set(key, back);
    }
    const request = tx('a', T0 + 4 * DAY, { amount: 2 });
    expect(readVector(testSet, decoded, request)).toEqual(readVector(testSet, states, request));

    const acctKey = entityStateKey(testSet, 'account', 'acct_a');
    const blob = encodeEntityState(testSet, states.get(acctKey));
    expect(() => decodeEntityState(testSet, 'account', blob.subarray(0, blob.length - 3))).toThrow(EntityStateDecodeError);
    const other = defineFeatureSet({ name: 'engine-test', version: 2, features: testSet.features });
    expect(() => decodeEntityState(other, 'account', blob)).toThrow(EntityStateDecodeError);
  });

  it('serves defaults with missing flags for unknown entities, unavailable entities and stale state (TTL)', () => {
    const acct = defineWindowedView({ name: 'acct', entity: account, events: ['tx'], value: amount, includeCurrent: false });
    const set = defineFeatureSet({
      name: 'ttl-test',
      version: 1,
      features: [
        windowFeature('n_7d', acct, { agg: 'count', window: 7 * DAY }),
        windowFeature('avg_7d', acct, { agg: 'avg', window: 7 * DAY, default: 42 }),
        windowFeature('fresh_avg_7d', acct, { agg: 'avg', window: 7 * DAY, default: -1, ttl: DAY }),
      ],
    });
    const state = createEntityState(set, 'account');
    applyEvent(state, tx('a', T0, { amount: 8 }));
    const states = new Map([[entityStateKey(set, 'account', 'acct_a'), state]]);

    const fresh = readVector(set, states, tx('a', T0 + HOUR));
    expect(Array.from(fresh.values)).toEqual([1, 8, 8]);
    expect(Array.from(fresh.missing)).toEqual([0, 0, 0]);
    expect(Array.from(fresh.ages)).toEqual([HOUR, HOUR, HOUR]);

    const stale = readVector(set, states, tx('a', T0 + 2 * DAY));
    expect(Array.from(stale.values)).toEqual([1, 8, -1]);
    expect(Array.from(stale.missing)).toEqual([0, 0, 1]);

    const unknown = readVector(set, states, tx('b', T0 + HOUR));
    expect(Array.from(unknown.values)).toEqual([0, 42, -1]);
    expect(Array.from(unknown.missing)).toEqual([0, 1, 1]);
    expect(Array.from(unknown.ages)).toEqual([-1, -1, -1]);

    const down = readVector(set, states, tx('a', T0 + HOUR), { unavailable: new Set(['account']) });
    expect(Array.from(down.values)).toEqual([0, 42, -1]);
    expect(Array.from(down.missing)).toEqual([1, 1, 1]);
  });

  it('counts a request the stream has not ingested yet exactly once', () => {
    const state = createEntityState(testSet, 'account');
    const states = new Map([[entityStateKey(testSet, 'account', 'acct_a'), state]]);
    applyEvent(state, tx('a', T0, { amount: 4 }));
    const req = tx('a', T0 + MINUTE, { amount: 6 });
    const before = readVector(testSet, states, req);
    applyEvent(state, req);
    const after = readVector(testSet, states, req);
    expect(before.values).toEqual(after.values);
    expect(after.values[testSet.featureNames.indexOf('acct_n_1h')]).toBe(2);
    expect(after.values[testSet.featureNames.indexOf('acct_hist_n_7d')]).toBe(1);
  });

  it('batch replay refuses time-unordered input', () => {
    const r = new BatchReplayer(testSet, () => undefined);
    r.pushEvent(tx('a', T0 + 10));
    expect(() => r.pushEvent(tx('a', T0))).toThrow(UnsortedInputError);
  });
});

/** Random histories: several entities, disorder within the lateness, duplicate deliveries, labels days later. */
const historyArb = fc
  .record({
    txs: fc.array(
      fc.record({
        acct: fc.constantFrom('a', 'b', 'c'),
        dev: fc.constantFrom('a', 'b'),
        merchant: fc.constantFrom('m1', 'm2'),
        card: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'),
        offset: fc.integer({ min: 0, max: 12 * DAY }),
        quarters: fc.integer({ min: 1, max: 4000 }),
        declined: fc.boolean(),
        label: fc.option(fc.record({ delay: fc.integer({ min: 0, max: 9 * DAY }), fraud: fc.boolean() }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    probes: fc.array(fc.record({ acct: fc.constantFrom('a', 'b', 'c', 'z'), offset: fc.integer({ min: 0, max: 14 * DAY }) }), { maxLength: 10 }),
    jitterSeed: fc.array(fc.integer({ min: 0, max: LATENESS - 1 }), { minLength: 80, maxLength: 80 }),
    dupes: fc.array(fc.nat(), { maxLength: 8 }),
  })
  .map(({ txs, probes, jitterSeed, dupes }) => {
    const events: EngineEvent[] = [];
    const requests: EngineEvent[] = [];
    txs.forEach((t, i) => {
      const time = T0 + t.offset;
      // quarters keep sums exact in binary floating point, so "identical" can mean bit-identical
      const e: EngineEvent = {
        eventId: `tx${i}`,
        type: t.declined ? 'decline' : 'tx',
        time,
        entities: { account: `acct_${t.acct}`, device: `dev_${t.dev}`, merchant: t.merchant, card: t.card },
        values: { amount: t.quarters / 4 },
      };
      events.push(e);
      requests.push(e);
      if (t.label) {
        events.push({ eventId: `lb${i}`, type: 'label', time: time + t.label.delay, entities: { merchant: t.merchant }, values: { fraud: t.label.fraud }, ref: { eventId: e.eventId, time } });
      }
    });
    probes.forEach((p, i) => requests.push({ eventId: `probe${i}`, type: 'probe', time: T0 + p.offset, entities: { account: `acct_${p.acct}`, device: 'dev_a', merchant: 'm1' }, values: { amount: 1 } }));
    const deliveries = [...events, ...dupes.map((d) => events[d % events.length])];
    const arrivals = deliveries
      .map((e, i) => ({ e, key: e.time + jitterSeed[i % jitterSeed.length], i }))
      .sort((a, b) => a.key - b.key || a.i - b.i)
      .map((x) => x.e);
    return { events, requests, arrivals };
  });

describe('streaming equals batch (property)', () => {
  it('gives identical vectors, ages and missing flags, with packed state between events', () => {
    fc.assert(
      fc.property(historyArb, ({ events, requests, arrivals }) => {
        const batch = computeBatch(testSet, events, requests);
        const live = runStreaming(testSet, arrivals, requests, { lateness: LATENESS });
        const packed = runStreaming(testSet, arrivals, requests, { lateness: LATENESS, packed: true });
        expect(live.outcomes.late).toBe(0);
        expect(Array.from(live.values)).toEqual(Array.from(batch.values));
        expect(Array.from(live.missing)).toEqual(Array.from(batch.missing));
        expect(Array.from(live.ages)).toEqual(Array.from(batch.ages));
        expect(Array.from(packed.values)).toEqual(Array.from(batch.values));
        expect(Array.from(packed.missing)).toEqual(Array.from(batch.missing));
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
