import { hostname } from 'node:os';
import { z } from 'zod';
import { CONSUMER_GROUPS, REGIONS } from '@risk/contract-events';
import { envList, loadConfig } from '@risk/util-config';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const num = (def: number) => z.coerce.number().min(0).default(def);

/** Every knob of the monitor, validated at boot. One deployment per region (its own event log). */
export const monitorConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3006),
  REGION: z.enum(REGIONS).default('eu'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EVENT_LOG_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  EVENT_LOG_KEY_PREFIX: z.string().min(1).default('el'),
  EVENT_LOG_PARTITIONS: int(8, 1),
  CONSUMER_GROUP: z.string().min(1).default(CONSUMER_GROUPS.monitoring),
  CONSUMER_NAME: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** Consumer groups whose lag is watched, as `group@topic` (default: the feature service on checkout events). */
  LAG_WATCH: envList(['feature-service@risk.checkout-events.v1']),
  /** Registry holding the training references (evidence `training_reference` of each model version). */
  REGISTRY_URL: z.string().url().optional(),
  REGISTRY_TOKEN: z.string().default(''),
  WINDOW_MINUTES: int(24 * 60, 1),
  EVAL_INTERVAL_MS: int(60_000, 100),
  LAG_POLL_MS: int(15_000, 100),
  MATURED_INTERVAL_MS: int(24 * 3600_000, 1000),
  MATURITY_DAYS: int(30, 1),
  FEATURE_PSI_THRESHOLD: num(0.25),
  SCORE_PSI_THRESHOLD: num(0.2),
  ACTION_MIX_THRESHOLD: num(0.15),
  MIN_SAMPLES: int(200, 1),
  LAG_ALERT_MIN: int(1000, 1),
  LAG_ALERT_POLLS: int(5, 1),
});
export type MonitorConfig = z.infer<typeof monitorConfigSchema>;

export function loadMonitorConfig(env: Record<string, string | undefined> = process.env): MonitorConfig {
  return loadConfig(monitorConfigSchema, env);
}
