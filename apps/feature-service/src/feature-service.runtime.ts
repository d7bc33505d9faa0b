import type Redis from 'ioredis';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { createEventLog } from '@risk/event-log';
import type { EventLog, EventLogConfig } from '@risk/event-log';
import type { FeatureSet } from '@risk/feature-engine';
import { checkoutFeatureSet, handbookFeatureSet } from '@risk/feature-sets';
import { IngestEventUseCase } from '@risk/feature-ingestion';
import { createOnlineRedis, OnlineFeatureStore } from '@risk/online-store';
import type { Logger } from '@risk/util-logging';
import type { FeatureServiceConfig } from './feature-service.config';

export const featureSetByName = (name: FeatureServiceConfig['FEATURE_SET']): FeatureSet => (name === 'handbook' ? handbookFeatureSet : checkoutFeatureSet);

export function eventLogConfigOf(c: FeatureServiceConfig): EventLogConfig {
  if (c.EVENT_LOG === 'kafka') {
    return { backend: 'kafka', brokers: c.KAFKA_BROKERS, region: c.REGION, defaultPartitions: c.EVENT_LOG_PARTITIONS };
  }
  return { backend: 'redis', redisUrl: c.EVENT_LOG_REDIS_URL ?? c.REDIS_URL, keyPrefix: c.EVENT_LOG_KEY_PREFIX, region: c.REGION, defaultPartitions: c.EVENT_LOG_PARTITIONS };
}

/** Everything the consumers need, built before Nest so the module only hands it over. */
export class FeatureServiceRuntime {
  readonly registry = new Registry();
  readonly ingested: Counter;
  readonly redis: Redis;
  readonly store: OnlineFeatureStore;
  readonly ingest: IngestEventUseCase;
  log?: EventLog;

  constructor(
    readonly config: FeatureServiceConfig,
    readonly logger: Logger,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.ingested = new Counter({ name: 'feature_events_ingested_total', help: 'engine events applied to the online store', labelNames: ['type'], registers: [this.registry] });
    this.redis = createOnlineRedis(config.REDIS_URL, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, failFast: false });
    this.store = new OnlineFeatureStore({
      redis: this.redis,
      set: featureSetByName(config.FEATURE_SET),
      keyPrefix: config.FEATURE_KEY_PREFIX,
      region: config.REGION,
      idempotencyTtlMs: config.IDEMPOTENCY_TTL_MS,
    });
    this.ingest = new IngestEventUseCase({
      store: this.store,
      region: config.REGION,
      acceptEngineEvents: config.ACCEPT_ENGINE_EVENTS,
      onApplied: (events) => {
        for (const e of events) this.ingested.inc({ type: e.type });
      },
    });
  }

  async start(): Promise<EventLog> {
    this.log = await createEventLog(eventLogConfigOf(this.config));
    return this.log;
  }

  health(): Record<string, unknown> {
    return { region: this.config.REGION, featureSet: this.config.FEATURE_SET, redis: this.redis.status, ...this.store.stats };
  }

  async stop(): Promise<void> {
    await this.log?.close({ timeoutMs: 10_000 });
    this.redis.disconnect();
  }
}
