import type Redis from 'ioredis';
import { FeatureTimeoutError, type EdgeRequest, type FeatureProvider, type FeatureReadResult } from '@risk/decision';
import type { FeatureSet } from '@risk/feature-engine';
import { OnlineFeatureProvider, OnlineFeatureReader, checkoutFeatureRequest, createOnlineRedis } from '@risk/online-store';

/** Not a timeout: Redis is not connected at all (closed port, restarting); reported as `features_unavailable`. */
export class FeaturesUnavailableError extends Error {}

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
