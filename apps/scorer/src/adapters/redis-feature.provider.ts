import Redis from 'ioredis';
import { FeatureTimeoutError, type EdgeRequest, type FeatureProvider, type FeatureReadResult, type FeatureValues } from '@risk/decision';

const ENTITIES = ['account', 'card', 'device', 'ip', 'email'] as const;

export interface RedisFeatureProviderOptions {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  staleAfterMs: number;
}

/** Key of one entity's online state: `<prefix>:<region>:<entity>:<token>`. */
export const featureKey = (prefix: string, region: string, entity: string, token: string): string => `${prefix}:${region}:${entity}:${token}`;

/**
 * Interim adapter until @risk/online-store lands: all entity states of a request in ONE MGET round trip.
 * Each value is `{"t": updatedAtMs, "v": {feature: number}}`. Fail-fast client settings: a stalled or closed
 * Redis makes the call reject within the command timeout instead of queueing.
 */
export class RedisFeatureProvider implements FeatureProvider {
  readonly redis: Redis;

  constructor(private readonly o: RedisFeatureProviderOptions) {
    this.redis = new Redis(o.url, {
      commandTimeout: o.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      lazyConnect: false,
      retryStrategy: (n) => Math.min(50 * n, 1000),
    });
    this.redis.on('error', () => undefined);
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  async read(edge: EdgeRequest): Promise<FeatureReadResult> {
    const region = edge.request.region;
    const present: Array<(typeof ENTITIES)[number]> = [];
    const keys: string[] = [];
    for (const e of ENTITIES) {
      const token = edge.tokens[e];
      if (token === undefined) continue;
      present.push(e);
      keys.push(featureKey(this.o.keyPrefix, region, e, token));
    }
    let raw: Array<string | null>;
    try {
      raw = await this.redis.mget(keys);
    } catch (err) {
      // ioredis commandTimeout: Redis is connected but not answering (stalled, paused, overloaded).
      if ((err as Error).message === 'Command timed out') throw new FeatureTimeoutError();
      throw err;
    }
    const values: FeatureValues = {};
    const missing: string[] = [];
    let stale = false;
    const now = Date.now();
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i];
      if (!s) {
        missing.push(present[i] as string);
        continue;
      }
      const state = JSON.parse(s) as { t?: number; v?: FeatureValues };
      if (typeof state.t === 'number' && now - state.t > this.o.staleAfterMs) stale = true;
      Object.assign(values, state.v);
    }
    return { values, missing, stale };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
