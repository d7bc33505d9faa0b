import fc from 'fast-check';
import { ValidationError } from '@risk/util-errors';
import { applyLabelMaturity, DAY_MS, defaultLabelPolicy, fraudSignalFromEvent, type FraudSignal, type LabelMaturityPolicy } from './label-maturity';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const row = (id: string, daysAfterT0: number) => ({ transactionId: id, occurredAt: T0 + daysAfterT0 * DAY_MS });
const policy = (over: Partial<LabelMaturityPolicy> = {}): LabelMaturityPolicy =>
  defaultLabelPolicy({ maturityCutoff: T0 + 100 * DAY_MS, window: { from: T0, to: T0 + 100 * DAY_MS }, ...over });

describe('applyLabelMaturity', () => {
  it('labels old unflagged rows legitimate, flagged rows fraud, and drops immature rows', () => {
    const rows = [row('old', 10), row('young', 60), row('fraudYoung', 95), row('late', 5)];
    const signals: FraudSignal[] = [
      { transactionId: 'fraudYoung', arrivedAt: T0 + 96 * DAY_MS, source: 'issuer_fraud_report' },
      // Arrives after the cut-off: unknown at training time, so 'late' is (mature) legitimate.
      { transactionId: 'late', arrivedAt: T0 + 101 * DAY_MS, source: 'chargeback' },
    ];
    const { rows: out, report } = applyLabelMaturity(rows, signals, policy());
    expect(out.map((r) => [r.row.transactionId, r.status, r.y, r.weight])).toEqual([
      ['old', 'legitimate', 0, 1],
      ['fraudYoung', 'fraud', 1, 1],
      ['late', 'legitimate', 0, 1],
    ]);
    expect(report.counts).toEqual({ fraud: 1, legitimate: 2, provisional: 0, excludedImmature: 1, excludedOutsideWindow: 0, ignoredLateSignals: 1 });
    expect(report.chargebackWindowDays).toBe(70);
    expect(report.maturityCutoff).toBe('2026-04-11T00:00:00.000Z');
  });

  it('keeps immature rows only as explicitly weighted provisional negatives when asked', () => {
    const { rows: out } = applyLabelMaturity([row('young', 60)], [], policy({ immature: { provisionalWeight: 0.25 } }));
    expect(out).toEqual([{ row: row('young', 60), status: 'provisional', y: 0, weight: 0.25 }]);
  });

  it('weights immediate signals by their strongest source', () => {
    const signals: FraudSignal[] = [
      { transactionId: 'a', arrivedAt: T0 + 1, source: 'authorisation_failure' },
      { transactionId: 'b', arrivedAt: T0 + 1, source: 'authorisation_failure' },
      { transactionId: 'b', arrivedAt: T0 + 2, source: 'chargeback' },
    ];
    const { rows: out } = applyLabelMaturity([row('a', 0), row('b', 0)], signals, policy());
    expect(out.map((r) => [r.row.transactionId, r.weight, r.source])).toEqual([
      ['a', 0.5, 'authorisation_failure'],
      ['b', 1, 'chargeback'],
    ]);
  });

  it('rejects an invalid policy with a typed error', () => {
    expect(() => applyLabelMaturity([], [], policy({ chargebackWindowMs: -1 }))).toThrow(ValidationError);
  });

  it('property: an immature transaction is never labelled legitimate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 50 }), day: fc.double({ min: 0, max: 200, noNaN: true }) }), { maxLength: 60 }),
        fc.array(
          fc.record({
            id: fc.integer({ min: 0, max: 50 }),
            day: fc.double({ min: 0, max: 300, noNaN: true }),
            source: fc.constantFrom('chargeback', 'issuer_fraud_report', 'manual_review', 'authorisation_failure', 'review_rejected' as const),
          }),
          { maxLength: 40 },
        ),
        fc.double({ min: 0, max: 250, noNaN: true }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
        (txs, sigs, cutoffDay, windowDays, provisional) => {
          const p = policy({
            maturityCutoff: T0 + cutoffDay * DAY_MS,
            chargebackWindowMs: windowDays * DAY_MS,
            window: { from: T0, to: T0 + 250 * DAY_MS },
            immature: provisional === undefined ? 'exclude' : { provisionalWeight: provisional },
          });
          const rows = txs.map((t, i) => ({ transactionId: `t${t.id}`, occurredAt: T0 + t.day * DAY_MS, i }));
          const signals = sigs.map((s) => ({ transactionId: `t${s.id}`, arrivedAt: T0 + s.day * DAY_MS, source: s.source }));
          const { rows: out } = applyLabelMaturity(rows, signals, p);
          for (const r of out) {
            const mature = r.row.occurredAt <= p.maturityCutoff - p.chargebackWindowMs;
            const knownFraud = signals.some((s) => s.transactionId === r.row.transactionId && s.arrivedAt <= p.maturityCutoff);
            if (r.status === 'legitimate') {
              expect(mature).toBe(true);
              expect(knownFraud).toBe(false);
            }
            if (r.status === 'fraud') expect(knownFraud).toBe(true);
            if (!mature && !knownFraud) {
              expect(r.status).toBe('provisional');
              expect(provisional).toBeDefined();
            }
            expect(r.row.occurredAt).toBeLessThanOrEqual(p.maturityCutoff);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('fraudSignalFromEvent', () => {
  const envelope = { eventId: '00000000-0000-4000-8000-000000000001', schemaVersion: 1 as const, occurredAt: '2026-02-01T00:00:00.000Z', region: 'eu' as const };
  const subject = {} as never;
  it('maps fraud chargebacks and fraud-ish declines; ignores the rest', () => {
    expect(
      fraudSignalFromEvent({
        ...envelope,
        type: 'chargeback.received',
        payload: { checkoutId: 'c1', subject, original: { checkoutId: 'c0', occurredAt: '2026-01-01T00:00:00.000Z' }, amount: { value: 1, currency: 'EUR' } as never, reasonCategory: 'fraud' },
      }),
    ).toEqual({ transactionId: 'c0', arrivedAt: Date.parse(envelope.occurredAt), source: 'chargeback' });
    expect(
      fraudSignalFromEvent({
        ...envelope,
        type: 'payment.declined',
        payload: { checkoutId: 'c2', paymentId: 'p', subject, amount: {} as never, reason: 'insufficient_funds' },
      }),
    ).toBeUndefined();
    expect(
      fraudSignalFromEvent({ ...envelope, type: 'payment.declined', payload: { checkoutId: 'c2', paymentId: 'p', subject, amount: {} as never, reason: 'stolen_card' } }),
    ).toEqual({ transactionId: 'c2', arrivedAt: Date.parse(envelope.occurredAt), source: 'authorisation_failure' });
  });
});
