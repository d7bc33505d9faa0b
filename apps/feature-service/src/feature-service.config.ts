import { hostname } from 'node:os';
import { z } from 'zod';
import { CONSUMER_GROUPS, REGIONS } from '@risk/contract-events';
import { envBool, envList, loadConfig } from '@risk/util-config';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every knob of the feature service, validated at boot. One deployment per region (REGION + its own Redis). */
export const featureServiceConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  /** health + metrics */
  PORT: int(3003),
  REGION: z.enum(REGIONS).default('eu'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Online store (the region's Redis). */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_COMMAND_TIMEOUT_MS: int(2000, 1),
  FEATURE_KEY_PREFIX: z.string().min(1).default('ofs'),
  FEATURE_SET: z.enum(['checkout', 'handbook']).default('checkout'),
  /** Accept `engine-event` envelopes (replays/backfills of non-contract sources such as the handbook CSV). */
  ACCEPT_ENGINE_EVENTS: envBool(false),
  IDEMPOTENCY_TTL_MS: int(15 * 60 * 1000, 1000),
  /** Event log: Redis Streams (embedded default) or Kafka (KAFKA_BROKERS). */
  EVENT_LOG: z.enum(['redis', 'kafka']).default('redis'),
  EVENT_LOG_REDIS_URL: z.string().url().optional(),
  EVENT_LOG_KEY_PREFIX: z.string().min(1).default('el'),
  KAFKA_BROKERS: envList([]),
  EVENT_LOG_PARTITIONS: int(8, 1),
  CONSUMER_GROUP: z.string().min(1).default(CONSUMER_GROUPS.featureService),
  /** Stable per instance (StatefulSet pod name): a restart under the same name recovers its own pending messages. */
  CONSUMER_NAME: z.string().min(1).default(`${hostname()}-${process.pid}`),
  CONSUMER_BATCH_SIZE: int(100, 1),
  CONSUMER_MAX_DELIVERIES: int(3, 1),
  CONSUMER_CLAIM_IDLE_MS: int(30_000, 1),
  /** Served-feature log (Postgres): when set, matured labels are joined onto served vectors (group served-feature-labels). */
  SERVED_LOG_DATABASE_URL: z.string().url().optional(),
  SERVED_LOG_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('public'),
  /** Only with the Redis backend: `index/count` static partition assignment (e.g. `0/3`). */
  CONSUMER_ASSIGNMENT: z
    .string()
    .regex(/^\d+\/\d+$/)
    .optional(),
});
export type FeatureServiceConfig = z.infer<typeof featureServiceConfigSchema>;

export function loadFeatureServiceConfig(env: Record<string, string | undefined> = process.env): FeatureServiceConfig {
  return loadConfig(featureServiceConfigSchema, env);
}
