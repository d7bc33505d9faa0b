import type Redis from 'ioredis';
import type { CheckoutStartedEvent } from '@risk/contract-events';
import { FeatureTimeoutError, type EdgeRequest, type FeatureProvider, type FeatureReadResult } from '@risk/decision';
import type { FeatureRequest, FeatureSet } from '@risk/feature-engine';
import { checkoutStartedToFeatureEvent } from '@risk/feature-sets';
import { OnlineFeatureProvider, OnlineFeatureReader, createOnlineRedis } from '@risk/online-store';

/** Not a timeout: Redis is not connected at all (closed port, restarting); reported as `features_unavailable`. */
export class FeaturesUnavailableError extends Error {}

/**
 * The edge-tokenised request as the feature engine sees it: the same engine event the feature service derives from
 * the matching `checkout.started` (event id `checkout:<checkoutId>`), so the current checkout counts once whether or
 * not the stream has ingested it yet.
 */
export function checkoutFeatureRequest(edge: EdgeRequest): FeatureRequest {
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

export interface OnlineFeaturesOptions {
  url: string;
  set: FeatureSet;
  keyPrefix: string;
  region: string;
  commandTimeoutMs: number;
  deadlineMs: number;
  coarseCacheTtlMs: number;
}

/** The scorer's `FeatureProvider`: @risk/online-store's reader (one MGET under a deadline) and its port adapter. */
export class OnlineFeatures implements FeatureProvider {
  readonly redis: Redis;
  readonly reader: OnlineFeatureReader;
  private readonly provider: OnlineFeatureProvider<EdgeRequest>;

  constructor(o: OnlineFeaturesOptions) {
    this.redis = createOnlineRedis(o.url, { commandTimeoutMs: o.commandTimeoutMs });
    this.reader = new OnlineFeatureReader({
      redis: this.redis,
      set: o.set,
      keyPrefix: o.keyPrefix,
      region: o.region,
      deadlineMs: o.deadlineMs,
      coarseEntities: ['merchant', 'bin', 'payment_method'],
      coarseCacheTtlMs: o.coarseCacheTtlMs,
    });
    this.provider = new OnlineFeatureProvider(this.reader, checkoutFeatureRequest, () => new FeatureTimeoutError());
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  read(edge: EdgeRequest, deadlineMs: number): Promise<FeatureReadResult> {
    // A disconnected client would only be refused by the reader as a "timeout"; say what it is, at once.
    if (!this.ready) return Promise.reject(new FeaturesUnavailableError(`redis ${this.redis.status}`));
    return this.provider.read(edge, deadlineMs);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
