import type Redis from 'ioredis';
import { Pool } from 'pg';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { CONSUMER_GROUPS, TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import type { EventLog, EventLogConfig, Subscription } from '@risk/event-log';
import type { FeatureSet } from '@risk/feature-engine';
import { checkoutFeatureSet, handbookFeatureSet } from '@risk/feature-sets';
import { IngestEventUseCase, JoinServedLabelsUseCase } from '@risk/feature-ingestion';
import { createOnlineRedis, OnlineFeatureStore, ServedFeatureLog } from '@risk/online-store';
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
  private pool?: Pool;
  private labelJoin?: Subscription;

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
    const c = this.config;
    if (c.SERVED_LOG_DATABASE_URL) {
      // Second consumer group on the labels topic: outcomes joined onto the served-feature log as they mature.
      this.pool = new Pool({ connectionString: c.SERVED_LOG_DATABASE_URL, options: `-c search_path="${c.SERVED_LOG_SCHEMA}"`, max: 4 });
      const join = new JoinServedLabelsUseCase({ writer: new ServedFeatureLog({ pool: this.pool }), region: c.REGION });
      this.labelJoin = await this.log.subscribe({
        group: CONSUMER_GROUPS.servedFeatureLabels,
        consumer: c.CONSUMER_NAME,
        topics: [TOPICS.labels],
        maxDeliveries: c.CONSUMER_MAX_DELIVERIES,
        handler: async (m) => void (await join.execute(m.value)),
      });
    }
    return this.log;
  }

  health(): Record<string, unknown> {
    return { region: this.config.REGION, featureSet: this.config.FEATURE_SET, redis: this.redis.status, ...this.store.stats };
  }

  async stop(): Promise<void> {
    await this.labelJoin?.stop({ timeoutMs: 10_000 });
    await this.log?.close({ timeoutMs: 10_000 });
    await this.pool?.end();
    this.redis.disconnect();
  }
}
