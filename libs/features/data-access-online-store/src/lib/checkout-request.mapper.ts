import type { CheckoutStartedEvent, ScoringRequest } from '@risk/contract-events';
import type { FeatureRequest } from '@risk/feature-engine';
import { checkoutStartedToFeatureEvent } from '@risk/feature-sets';

/** Structural twin of the scorer's `EdgeRequest` (@risk/decision): the request after edge tokenisation. */
export interface TokenizedScoringRequest {
  request: ScoringRequest;
  tokens: { account: string; email: string; ip: string; device: string; address: string; card?: string; phone?: string };
}

/**
 * The scoring request as the engine sees it: the same event (id `checkout:<checkoutId>`, time, entities, values) the
 * feature service derives from the matching `checkout.started`, so the attempt is counted once whether or not the
 * stream has ingested it yet. Mapped through the one contract adapter of @risk/feature-sets.
 */
export function checkoutFeatureRequest(edge: TokenizedScoringRequest): FeatureRequest {
  const r = edge.request;
  const t = edge.tokens;
  const event: CheckoutStartedEvent = {
    eventId: '00000000-0000-4000-8000-000000000000',
    schemaVersion: 1,
    type: 'checkout.started',
    occurredAt: r.occurredAt,
    region: r.region,
    payload: {
      checkoutId: r.checkoutId,
      subject: {
        accountToken: t.account,
        ...(t.card ? { cardToken: t.card } : {}),
        deviceToken: t.device,
        ipToken: t.ip,
        emailToken: t.email,
        addressToken: t.address,
        merchantId: r.merchant.id,
        paymentMethodId: r.payment.methodId,
        ...(r.payment.card ? { bin: r.payment.card.bin } : {}),
      },
      amount: r.amount,
      channel: r.channel,
      accountCreatedAt: r.shopper.accountCreatedAt,
      isGuest: r.shopper.isGuest,
      paymentType: r.payment.type,
      ...(r.payment.card ? { binCountry: r.payment.card.country } : {}),
      ...(r.device.ipCountry ? { ipCountry: r.device.ipCountry } : {}),
      shippingCountry: r.shipping.address.country,
      merchantCountry: r.merchant.country,
      mcc: r.merchant.mcc,
      itemCount: r.items.count,
      digitalGoods: r.items.digitalGoods,
      highRiskCategory: r.items.highRiskCategory,
      shippingMethod: r.shipping.method,
    },
  };
  return checkoutStartedToFeatureEvent(event);
}
