import { loadConfig } from '@risk/util-config';
import { REGIONS } from '@risk/contract-events';
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every knob of the scorer, validated at boot (fail fast). */
export const scorerConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3001),
  REGION: z.enum(REGIONS).default('eu'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: int(32 * 1024, 1024),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Fail-fast: above the loopback RTT, well under the features deadline. */
  REDIS_COMMAND_TIMEOUT_MS: int(15, 1),
  /** Key prefix of @risk/online-store (the feature service writes under the same one). */
  FEATURE_KEY_PREFIX: z.string().min(1).default('fs'),
  /** In-process cache of coarse entities (merchant, BIN, payment method): bounds hot-key reads; 0 disables it. */
  FEATURE_COARSE_CACHE_MS: int(500, 0),
  REGISTRY_URL: z.string().url().optional(),
  /** Service token of the scorer at the registry (demo: `demo-service-scorer`). */
  REGISTRY_TOKEN: z.string().min(1).optional(),
  REGISTRY_TIMEOUT_MS: int(2000, 1),
  REGISTRY_ARTIFACT_TIMEOUT_MS: int(30_000, 1),
  MODEL_NAME: z.string().default('checkout'),
  MODEL_REFRESH_MS: int(10_000, 0),
  MODEL_CACHE_DIR: z.string().default('tmp/scorer-lkg'),
  POLICY_FILE: z.string().default('apps/scorer/config/policy.json'),
  /** Stage budgets inside the 60 ms p99 budget of the checkout. */
  TOTAL_BUDGET_MS: int(60, 1),
  FEATURES_DEADLINE_MS: int(20, 1),
  FEATURES_TARGET_MS: int(8, 1),
  MAX_CONCURRENCY: int(512, 1),
  MIN_CONCURRENCY: int(16, 1),
  BREAKER_FAILURES: int(10, 1),
  BREAKER_HALF_OPEN_MS: int(1000, 1),
  /** `k1=secret,k2=secret`; per-region HMAC keys for edge tokenisation. */
  TOKEN_KEYS: z.string().optional(),
  TOKEN_ACTIVE_KEY_ID: z.string().optional(),
  DECISION_LOG: z.enum(['redis', 'none']).default('redis'),
  EVENT_LOG_REDIS_URL: z.string().url().optional(),
}).refine((c) => !c.REGISTRY_URL || !!c.REGISTRY_TOKEN, { message: 'REGISTRY_TOKEN is required with REGISTRY_URL', path: ['REGISTRY_TOKEN'] });
export type ScorerConfig = z.infer<typeof scorerConfigSchema>;

export function loadScorerConfig(env: Record<string, string | undefined> = process.env): ScorerConfig {
  return loadConfig(scorerConfigSchema, env);
}
