import type { CheckoutStartedEvent, RiskEvent, Subject } from '@risk/contract-events';
import type { EngineEvent } from '@risk/feature-engine';

/** Engine entity names (checkout feature set) keyed from the contract subject; absent tokens stay absent. */
export function subjectEntities(subject: Subject): Record<string, string> {
  const out: Record<string, string> = { account: subject.accountToken, merchant: subject.merchantId, payment_method: subject.paymentMethodId };
  if (subject.cardToken) out['card'] = subject.cardToken;
  if (subject.deviceToken) out['device'] = subject.deviceToken;
  if (subject.ipToken) out['ip'] = subject.ipToken;
  if (subject.emailToken) out['email'] = subject.emailToken;
  if (subject.addressToken) out['address'] = subject.addressToken;
  if (subject.bin) out['bin'] = subject.bin;
  return out;
}

/**
 * The checkout attempt's engine event id is derived from the checkout id, so the scorer (which reads before the
 * stream has ingested the attempt) and the feature service agree on it and the attempt is never counted twice.
 */
export const checkoutEventId = (checkoutId: string): string => `checkout:${checkoutId}`;

/** The scoring request as the engine sees it: also what `readVector` takes at scoring time. */
export function checkoutStartedToFeatureEvent(e: CheckoutStartedEvent): EngineEvent {
  const p = e.payload;
  const values: Record<string, number | string | boolean> = {
    // Amounts are compared within one account/card history; cross-currency normalisation is upstream's job.
    amount: p.amount.value,
    currency: p.amount.currency,
    channel: p.channel,
    accountCreatedAt: Date.parse(p.accountCreatedAt),
    isGuest: p.isGuest,
    paymentType: p.paymentType,
    shippingCountry: p.shippingCountry,
    merchantCountry: p.merchantCountry,
    mcc: p.mcc,
    itemCount: p.itemCount,
    digitalGoods: p.digitalGoods,
    highRiskCategory: p.highRiskCategory,
    shippingMethod: p.shippingMethod,
  };
  if (p.binCountry) values['binCountry'] = p.binCountry;
  if (p.ipCountry) values['ipCountry'] = p.ipCountry;
  return { eventId: checkoutEventId(p.checkoutId), type: e.type, time: Date.parse(e.occurredAt), entities: subjectEntities(p.subject), values };
}

/** Contract event -> engine events (empty when no feature consumes it, e.g. decision.made). */
export function toFeatureEvents(e: RiskEvent): EngineEvent[] {
  const time = Date.parse(e.occurredAt);
  switch (e.type) {
    case 'checkout.started':
      return [checkoutStartedToFeatureEvent(e)];
    case 'payment.authorised':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: { amount: e.payload.amount.value } }];
    case 'payment.declined':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: { amount: e.payload.amount.value, reason: e.payload.reason } }];
    case 'stepup.completed':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: { method: e.payload.method, outcome: e.payload.outcome } }];
    case 'review.completed':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: { outcome: e.payload.outcome } }];
    case 'order.fulfilled':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: {} }];
    case 'refund.issued':
      return [{ eventId: e.eventId, type: e.type, time, entities: subjectEntities(e.payload.subject), values: { amount: e.payload.amount.value, reason: e.payload.reason } }];
    case 'chargeback.received':
      return [
        {
          eventId: e.eventId,
          type: e.type,
          time,
          entities: subjectEntities(e.payload.subject),
          values: { amount: e.payload.amount.value, reasonCategory: e.payload.reasonCategory },
          ref: { eventId: checkoutEventId(e.payload.original.checkoutId), time: Date.parse(e.payload.original.occurredAt) },
        },
      ];
    case 'label.confirmed':
      return [
        {
          eventId: e.eventId,
          type: e.type,
          time,
          entities: subjectEntities(e.payload.subject),
          values: { label: e.payload.label, source: e.payload.source },
          ref: { eventId: checkoutEventId(e.payload.original.checkoutId), time: Date.parse(e.payload.original.occurredAt) },
        },
      ];
    default:
      return [];
  }
}
