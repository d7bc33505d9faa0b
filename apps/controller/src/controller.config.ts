import { z } from 'zod';
import { envBool, envInt, envList, loadConfig } from '@risk/util-config';

/** Rollout controller configuration; the registry token (a `controller` service principal) comes from the environment. */
export const controllerConfigSchema = z.object({
  PORT: envInt(3005),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/test'),
  DB_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/).default('public'),
  DB_POOL_MAX: envInt(5),
  DB_MIGRATE_ON_BOOT: envBool(true),
  REGISTRY_URL: z.string().url().default('http://127.0.0.1:3002'),
  REGISTRY_TOKEN: z.string().min(16, 'REGISTRY_TOKEN must be the controller service token'),
  REGISTRY_TIMEOUT_MS: envInt(3000),
  /** Roles whose registry tokens may start and steer rollouts; any valid token may read. */
  OPERATOR_ROLES: envList(['release-manager']),
  AUTH_CACHE_MS: envInt(30_000),
  /** How often the leader evaluates bake time and guardrails. */
  TICK_MS: envInt(5_000),
  /** Several replicas may run; the one holding this PostgreSQL advisory lock is the leader. */
  LEADER_LOCK_NAME: z.string().default('checkout-risk:rollout-controller'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  EVENT_LOG_KEY_PREFIX: z.string().min(1).default('el'),
  /** Regions whose decision logs the controller reads (the scorer writes one per region). */
  EVENT_LOG_REGIONS: envList(['eu', 'us', 'apac']),
  /** Consumer name inside the group; stable across restarts of the same replica (e.g. the pod name). */
  CONSUMER_NAME: z.string().default('controller-0'),
  /** Redis: pending decisions of a dead consumer are claimed after this long. */
  CLAIM_IDLE_MS: envInt(10_000),
  /** Keep canary-period decisions for the matured-label report (written at each tick). */
  RECORD_DECISIONS: envBool(true),
});
export type ControllerConfig = z.infer<typeof controllerConfigSchema>;

export function loadControllerConfig(env: Record<string, string | undefined> = process.env): ControllerConfig {
  return loadConfig(controllerConfigSchema, env);
}
