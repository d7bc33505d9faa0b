import type {
  ChargebackReceivedEvent,
  LabelConfirmedEvent,
  PaymentDeclinedEvent,
  ReviewCompletedEvent,
} from '@risk/contract-events';
import { ValidationError } from '@risk/util-errors';

export const DAY_MS = 86_400_000;

/** Where a label came from; immediate sources arrive within minutes, chargebacks weeks later. */
export type LabelSignalSource =
  | 'chargeback'
  | 'issuer_fraud_report'
  | 'manual_review'
  | 'customer_confirmed'
  | 'authorisation_failure'
  | 'review_rejected';

/** One piece of evidence that a transaction was fraud, as it arrived (its `arrivedAt`, not the tx time). */
export interface FraudSignal {
  transactionId: string;
  arrivedAt: number;
  source: LabelSignalSource;
}

export interface LabelableRow {
  transactionId: string;
  /** epoch ms of the transaction. */
  occurredAt: number;
}

export interface LabelMaturityPolicy {
  /** Labels that arrived after this instant are unknown (point in time of the training job). */
  maturityCutoff: number;
  /** Transactions are considered legitimate only once this much time has passed without a fraud signal. */
  chargebackWindowMs: number;
  /** Only transactions in [from, to) are considered. */
  window: { from: number; to: number };
  /** Training weight of a fraud label by its strongest source; 0 ignores the source. */
  sourceWeights: Readonly<Record<LabelSignalSource, number>>;
  /**
   * Immature transactions (no fraud signal yet, chargeback window not passed): 'exclude' drops them; a number
   * keeps them as `provisional` negatives with that explicit weight (never as `legitimate`).
   */
  immature: 'exclude' | { provisionalWeight: number };
}

export type LabelStatus = 'fraud' | 'legitimate' | 'provisional';

export interface LabelledRow<R extends LabelableRow> {
  row: R;
  status: LabelStatus;
  y: 0 | 1;
  weight: number;
  /** Strongest source behind a fraud label. */
  source?: LabelSignalSource;
}

export interface LabelMaturityReport {
  window: { from: string; to: string };
  maturityCutoff: string;
  chargebackWindowDays: number;
  counts: {
    fraud: number;
    legitimate: number;
    provisional: number;
    excludedImmature: number;
    excludedOutsideWindow: number;
    ignoredLateSignals: number;
  };
  fraudBySource: Partial<Record<LabelSignalSource, number>>;
}

export const DEFAULT_SOURCE_WEIGHTS: Readonly<Record<LabelSignalSource, number>> = Object.freeze({
  chargeback: 1,
  issuer_fraud_report: 1,
  customer_confirmed: 1,
  manual_review: 1,
  review_rejected: 0.8,
  // A fraud-ish decline is strong evidence but not proof (issuers decline on suspicion).
  authorisation_failure: 0.5,
});

export const FRAUD_DECLINE_REASONS: readonly PaymentDeclinedEvent['payload']['reason'][] = ['stolen_card', 'lost_card', 'suspected_fraud'];

export function defaultLabelPolicy(p: Pick<LabelMaturityPolicy, 'maturityCutoff' | 'window'> & Partial<LabelMaturityPolicy>): LabelMaturityPolicy {
  return { chargebackWindowMs: 70 * DAY_MS, sourceWeights: DEFAULT_SOURCE_WEIGHTS, immature: 'exclude', ...p };
}

function assertPolicy(p: LabelMaturityPolicy): void {
  const issues: { path: string; message: string }[] = [];
  if (!Number.isFinite(p.maturityCutoff)) issues.push({ path: 'maturityCutoff', message: 'must be a finite epoch ms' });
  if (!(p.chargebackWindowMs >= 0)) issues.push({ path: 'chargebackWindowMs', message: 'must be >= 0' });
  if (!(p.window.from < p.window.to)) issues.push({ path: 'window', message: 'from must be before to' });
  for (const [k, w] of Object.entries(p.sourceWeights)) if (!(w >= 0 && w <= 1)) issues.push({ path: `sourceWeights.${k}`, message: 'must be in [0,1]' });
  if (p.immature !== 'exclude' && !(p.immature.provisionalWeight > 0 && p.immature.provisionalWeight <= 1)) {
    issues.push({ path: 'immature.provisionalWeight', message: 'must be in (0,1]' });
  }
  if (issues.length) throw new ValidationError('Invalid label maturity policy', issues, 'LABEL_POLICY_INVALID');
}

/**
 * Joins rows with the fraud signals known at `maturityCutoff`. A row is fraud if a (weighted) fraud signal
 * arrived by the cut-off; legitimate only if it is older than the chargeback window at the cut-off and no
 * fraud signal arrived; otherwise immature (excluded, or a provisional negative with an explicit weight).
 */
export function applyLabelMaturity<R extends LabelableRow>(
  rows: Iterable<R>,
  signals: Iterable<FraudSignal>,
  policy: LabelMaturityPolicy,
): { rows: LabelledRow<R>[]; report: LabelMaturityReport } {
  assertPolicy(policy);
  const best = new Map<string, { weight: number; source: LabelSignalSource }>();
  let ignoredLateSignals = 0;
  for (const s of signals) {
    if (s.arrivedAt > policy.maturityCutoff) {
      ignoredLateSignals++;
      continue;
    }
    const w = policy.sourceWeights[s.source] ?? 0;
    if (w <= 0) continue;
    const prev = best.get(s.transactionId);
    if (!prev || w > prev.weight) best.set(s.transactionId, { weight: w, source: s.source });
  }
  const matureBefore = policy.maturityCutoff - policy.chargebackWindowMs;
  const counts = { fraud: 0, legitimate: 0, provisional: 0, excludedImmature: 0, excludedOutsideWindow: 0, ignoredLateSignals };
  const fraudBySource: Partial<Record<LabelSignalSource, number>> = {};
  const out: LabelledRow<R>[] = [];
  for (const row of rows) {
    // Rows after the cut-off did not exist yet at training time.
    if (row.occurredAt < policy.window.from || row.occurredAt >= policy.window.to || row.occurredAt > policy.maturityCutoff) {
      counts.excludedOutsideWindow++;
      continue;
    }
    const fraud = best.get(row.transactionId);
    if (fraud) {
      counts.fraud++;
      fraudBySource[fraud.source] = (fraudBySource[fraud.source] ?? 0) + 1;
      out.push({ row, status: 'fraud', y: 1, weight: fraud.weight, source: fraud.source });
    } else if (row.occurredAt <= matureBefore) {
      counts.legitimate++;
      out.push({ row, status: 'legitimate', y: 0, weight: 1 });
    } else if (policy.immature === 'exclude') {
      counts.excludedImmature++;
    } else {
      counts.provisional++;
      out.push({ row, status: 'provisional', y: 0, weight: policy.immature.provisionalWeight });
    }
  }
  return {
    rows: out,
    report: {
      window: { from: new Date(policy.window.from).toISOString(), to: new Date(policy.window.to).toISOString() },
      maturityCutoff: new Date(policy.maturityCutoff).toISOString(),
      chargebackWindowDays: policy.chargebackWindowMs / DAY_MS,
      counts,
      fraudBySource,
    },
  };
}

export type LabelContractEvent = ChargebackReceivedEvent | LabelConfirmedEvent | PaymentDeclinedEvent | ReviewCompletedEvent;

/** Maps a contract event onto a fraud signal, or undefined when it carries no fraud evidence. */
export function fraudSignalFromEvent(e: LabelContractEvent): FraudSignal | undefined {
  const arrivedAt = Date.parse(e.occurredAt);
  switch (e.type) {
    case 'chargeback.received':
      return e.payload.reasonCategory === 'fraud' ? { transactionId: e.payload.original.checkoutId, arrivedAt, source: 'chargeback' } : undefined;
    case 'label.confirmed': {
      if (e.payload.label !== 'fraud') return undefined;
      const src = e.payload.source;
      // A "maturity" label cannot be fraud evidence; the other sources map one to one.
      if (src === 'maturity') return undefined;
      return { transactionId: e.payload.original.checkoutId, arrivedAt, source: src };
    }
    case 'payment.declined':
      return FRAUD_DECLINE_REASONS.includes(e.payload.reason)
        ? { transactionId: e.payload.checkoutId, arrivedAt, source: 'authorisation_failure' }
        : undefined;
    case 'review.completed':
      return e.payload.outcome === 'rejected' ? { transactionId: e.payload.checkoutId, arrivedAt, source: 'review_rejected' } : undefined;
  }
}
