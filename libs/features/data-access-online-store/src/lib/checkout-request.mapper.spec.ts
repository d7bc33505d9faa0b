import { exampleCheckoutStarted, exampleScoringRequest } from '@risk/contract-events';
import { checkoutEventId, checkoutFeatureSet, checkoutStartedToFeatureEvent } from '@risk/feature-sets';
import { requestEntityKeys } from '@risk/feature-engine';
import { checkoutFeatureRequest } from './checkout-request.mapper';

describe('checkoutFeatureRequest (scorer -> engine request)', () => {
  it('yields the event the feature service ingests for the same checkout (id, time, entities)', () => {
    const request = exampleScoringRequest();
    const tokens = { account: 'tok_acc_1', email: 'tok_em_1', ip: 'tok_ip_1', device: 'tok_dev_1', address: 'tok_addr_1', card: request.payment.card?.token };
    const q = checkoutFeatureRequest({ request, tokens });
    expect(q.eventId).toBe(checkoutEventId(request.checkoutId));
    expect(q.time).toBe(Date.parse(request.occurredAt));
    expect(q.entities).toMatchObject({ account: 'tok_acc_1', email: 'tok_em_1', ip: 'tok_ip_1', device: 'tok_dev_1', address: 'tok_addr_1', merchant: request.merchant.id, payment_method: request.payment.methodId });
    // every entity of the checkout set the request has keys for is read
    expect(requestEntityKeys(checkoutFeatureSet, q).length).toBeGreaterThanOrEqual(9);
    // and the value fields match the ingest side's mapping of a checkout.started
    const ingested = checkoutStartedToFeatureEvent(exampleCheckoutStarted());
    expect(Object.keys(q.values).sort()).toEqual(expect.arrayContaining(Object.keys(ingested.values).filter((k) => k !== 'binCountry' && k !== 'ipCountry').sort()));
  });
});
