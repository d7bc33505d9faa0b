import { z } from 'zod';
import type { Logger } from '@risk/util-logging';

const topicSettingsSchema = z.object({
  partitions: z.number().int().min(1).max(1024).optional(),
  /** Redis: approximate max entries kept per partition stream (XADD MAXLEN ~). Kafka uses the broker's retention. */
  maxLen: z.number().int().min(1).optional(),
});

const bufferSchema = z.object({
  /** Bounded queue of the non-blocking mode; beyond it records are dropped and counted. */
  maxBuffered: z.number().int().min(1).default(10_000),
  maxBatch: z.number().int().min(1).default(500),
  /** A flush that takes longer is abandoned and its records counted as dropped. */
  flushTimeoutMs: z.number().int().min(1).default(1_000),
});

const commonSchema = {
  /** Region of this deployment: part of every Redis key prefix and of the Kafka client id. */
  region: z.string().min(1).optional(),
  clientId: z.string().min(1).default('checkout-risk'),
  defaultPartitions: z.number().int().min(1).max(1024).default(8),
  topics: z.record(z.string(), topicSettingsSchema).default({}),
  /** `non-blocking` for callers that must never wait on the log (scorer); `blocking` for ingestion. */
  publishMode: z.enum(['blocking', 'non-blocking']).default('blocking'),
  buffer: bufferSchema.default({ maxBuffered: 10_000, maxBatch: 500, flushTimeoutMs: 1_000 }),
};

export const redisEventLogConfigSchema = z.object({
  backend: z.literal('redis'),
  ...commonSchema,
  redisUrl: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** Redis Cluster seed nodes (`redis://host:port`); when set, `redisUrl` is ignored. */
  redisClusterNodes: z.array(z.string().min(1)).optional(),
  keyPrefix: z.string().min(1).default('el'),
  defaultMaxLen: z.number().int().min(1).default(1_000_000),
  /**
   * Command timeout of the non-blocking producer connection. Callers never wait on it (they only enqueue), so it
   * just bounds how long a hung Redis stalls the flush loop; too low and a busy-but-healthy Redis causes drops.
   */
  fastCommandTimeoutMs: z.number().int().min(1).default(250),
});

export const kafkaEventLogConfigSchema = z.object({
  backend: z.literal('kafka'),
  ...commonSchema,
  brokers: z.array(z.string().min(1)).min(1),
  /** Kafka topics are created with this replication factor when missing. */
  replicationFactor: z.number().int().min(1).default(1),
  sessionTimeoutMs: z.number().int().min(1).default(10_000),
  connectionTimeoutMs: z.number().int().min(1).default(3_000),
});

export const eventLogConfigSchema = z.discriminatedUnion('backend', [redisEventLogConfigSchema, kafkaEventLogConfigSchema]);

/** What callers pass (defaults optional). The app maps EVENT_LOG / REDIS_URL / KAFKA_BROKERS onto it. */
export type EventLogConfig = z.input<typeof eventLogConfigSchema>;
export type RedisEventLogSettings = z.output<typeof redisEventLogConfigSchema>;
export type KafkaEventLogSettings = z.output<typeof kafkaEventLogConfigSchema>;

export interface EventLogDeps {
  logger?: Logger;
}
