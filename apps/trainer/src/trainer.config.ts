import { loadConfig } from '@risk/util-config';
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every knob of the trainer, validated at boot (fail fast). */
export const trainerConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3004),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix (tests use a unique one). */
  QUEUE_PREFIX: z.string().min(1).default('bull'),
  /** Run the worker in this process (an API-only replica sets false). */
  WORKER_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  WORKER_CONCURRENCY: int(1, 1),
  /** Attempts per job: a crashed or stalled worker's job is retried up to this many times. */
  JOB_ATTEMPTS: int(3, 1),
  JOB_BACKOFF_MS: int(5000, 0),
  /** Training yields to the event loop often, but a generous lock keeps long CPU slices from looking stalled. */
  LOCK_DURATION_MS: int(120_000, 1000),
  STALLED_INTERVAL_MS: int(30_000, 1000),
  MAX_STALLED_COUNT: int(2, 0),
  /** How often a running job checks the shared cancel flag (cross-process DELETE). */
  CANCEL_POLL_MS: int(1000, 50),
  REGISTRY_URL: z.string().url().optional(),
  REGISTRY_TOKEN: z.string().optional(),
  /** Region whose production model is the comparison baseline. */
  REGISTRY_REGION: z.string().default('eu'),
  POLICY_VERSION: z.string().default('1'),
  ARTIFACT_DIR: z.string().default('artifacts/models'),
  /** handbook-csv data sources must live under this directory. */
  DATA_DIR: z.string().default('tmp'),
  /** Served-feature log (Postgres) for `served-log` data sources; without it such jobs are rejected (400). */
  SERVED_LOG_DATABASE_URL: z.string().url().optional(),
  SERVED_LOG_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('public'),
  /** Lineage: defaults to `git rev-parse HEAD` at boot. */
  CODE_COMMIT: z.string().optional(),
});
export type TrainerConfig = z.infer<typeof trainerConfigSchema>;

export function loadTrainerConfig(env: Record<string, string | undefined> = process.env): TrainerConfig {
  return loadConfig(trainerConfigSchema, env);
}
