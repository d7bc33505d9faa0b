import { z } from 'zod';
import { envBool, envInt, envList, loadConfig } from '@risk/util-config';

const tokenList = z
  .string()
  .default('')
  .transform((v, ctx) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry) => {
        const [principal, role, token] = entry.split(':');
        if (!principal || !role || !token || token.length < 16) {
          ctx.addIssue({ code: 'custom', message: 'REGISTRY_TOKENS entries are principal:role:token with a token of 16+ characters' });
          return { principal: '', role: '', token: '' };
        }
        return { principal, role, token };
      }),
  );

/** Registry configuration; secrets (tokens, S3 keys) come only from the environment. */
export const registryConfigSchema = z
  .object({
    PORT: envInt(3002),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/test'),
    DB_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/).default('public'),
    DB_POOL_MAX: envInt(10),
    DB_MIGRATE_ON_BOOT: envBool(true),
    REGISTRY_REGIONS: envList(['eu', 'us', 'apac']),
    ARTIFACT_STORE: z.enum(['local', 's3']).default('local'),
    ARTIFACT_DIR: z.string().default('data/registry-artifacts'),
    ARTIFACT_MAX_BYTES: envInt(64 * 1024 * 1024),
    S3_ENDPOINT: z.string().optional(),
    S3_BUCKET: z.string().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    /** principal:role:token,... — hashed into ApiToken at boot. */
    REGISTRY_TOKENS: tokenList,
    /** Seeds the demo model, two versions and one token per role (see DEMO_TOKENS). Never in production. */
    REGISTRY_SEED_DEMO: envBool(false),
    OUTBOX_ENABLED: envBool(true),
    /** Where stage-change events go besides webhooks (topic risk.registry-changes.v1); `none` keeps them in the outbox. */
    EVENT_LOG: z.enum(['redis', 'kafka', 'none']).default('redis'),
    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
    KAFKA_BROKERS: envList([]),
    EVENT_LOG_KEY_PREFIX: z.string().min(1).default('el'),
    OUTBOX_POLL_MS: envInt(1000),
    WEBHOOK_TIMEOUT_MS: envInt(5000),
    WEBHOOK_MAX_ATTEMPTS: envInt(12),
    WEBHOOK_BACKOFF_BASE_MS: envInt(1000),
  })
  .superRefine((c, ctx) => {
    if (c.EVENT_LOG === 'kafka' && c.KAFKA_BROKERS.length === 0) ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required when EVENT_LOG=kafka' });
    if (c.ARTIFACT_STORE === 's3' && !(c.S3_ENDPOINT && c.S3_BUCKET && c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['ARTIFACT_STORE'], message: 's3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY' });
    }
  });

export type RegistryConfig = z.infer<typeof registryConfigSchema>;

export function loadRegistryConfig(env: Record<string, string | undefined> = process.env): RegistryConfig {
  return loadConfig(registryConfigSchema, env);
}
