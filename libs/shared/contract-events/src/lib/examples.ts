import type { ScoringRequest } from './scoring.schema';
import type { CheckoutStartedEvent, LabelConfirmedEvent } from './event.schema';

/** A valid request, identical to docs/examples/decision-request.json. Tests and demos copy it, then vary it. */
export function exampleScoringRequest(): ScoringRequest {
  return {
    schemaVersion: '1',
    checkoutId: 'chk_01J9Z3Q8W4K7',
    region: 'eu',
    occurredAt: '2026-11-27T09:15:02.120Z',
    channel: 'web',
    amount: { value: 129.9, currency: 'EUR' },
    merchant: { id: 'm_48213', mcc: '5732', country: 'DE' },
    shopper: {
      accountId: 'acc_7731902',
      accountCreatedAt: '2024-03-11T18:20:00Z',
      isGuest: false,
      email: 'jane.doe@example.com',
      phone: '+49 30 1234567',
    },
    device: { id: 'dev_9f1c2a77e0', ip: '203.0.113.42', ipCountry: 'DE', userAgentFamily: 'Chrome' },
    payment: {
      methodId: 'pm_eu_card_visa',
      type: 'card',
      card: { token: 'tok_psp1_Q2FyZFRva2VuMDAwMDAwMQ', bin: '41111111', country: 'DE', network: 'visa' },
    },
    shipping: {
      address: { line1: 'Invalidenstrasse 117', city: 'Berlin', postalCode: '10115', country: 'DE' },
      method: 'standard',
    },
    items: { count: 2, digitalGoods: false, highRiskCategory: true },
  };
}

const subject = {
  accountToken: 'tok_eu1_YWNjb3VudDAwMDAwMDAx',
  cardToken: 'tok_psp1_Q2FyZFRva2VuMDAwMDAwMQ',
  deviceToken: 'tok_eu1_ZGV2aWNlMDAwMDAwMDAx',
  ipToken: 'tok_eu1_aXAwMDAwMDAwMDAwMDAx',
  emailToken: 'tok_eu1_ZW1haWwwMDAwMDAwMDAx',
  addressToken: 'tok_eu1_YWRkcmVzczAwMDAwMDAx',
  merchantId: 'm_48213',
  paymentMethodId: 'pm_eu_card_visa',
  bin: '41111111',
};

export function exampleCheckoutStarted(): CheckoutStartedEvent {
  return {
    eventId: '7d0b1f8e-2a4c-4e51-9d8a-0c3f5b6a7e21',
    schemaVersion: 1,
    type: 'checkout.started',
    occurredAt: '2026-11-27T09:15:02.120Z',
    region: 'eu',
    payload: {
      checkoutId: 'chk_01J9Z3Q8W4K7',
      subject: { ...subject },
      amount: { value: 129.9, currency: 'EUR' },
      channel: 'web',
      accountCreatedAt: '2024-03-11T18:20:00Z',
      isGuest: false,
      paymentType: 'card',
      binCountry: 'DE',
      ipCountry: 'DE',
      shippingCountry: 'DE',
      merchantCountry: 'DE',
      mcc: '5732',
      itemCount: 2,
      digitalGoods: false,
      highRiskCategory: true,
      shippingMethod: 'standard',
    },
  };
}

export function exampleLabelConfirmed(): LabelConfirmedEvent {
  return {
    eventId: '0f5e3c2a-9b8d-4a7e-8c1f-2d3e4f5a6b7c',
    schemaVersion: 1,
    type: 'label.confirmed',
    occurredAt: '2027-01-08T10:00:00Z',
    region: 'eu',
    payload: {
      checkoutId: 'chk_01J9Z3Q8W4K7',
      subject: { ...subject },
      original: { checkoutId: 'chk_01J9Z3Q8W4K7', occurredAt: '2026-11-27T09:15:02.120Z' },
      label: 'fraud',
      source: 'chargeback',
    },
  };
}
