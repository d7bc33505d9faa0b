import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort, startApp, type AppProcess, type StartAppOptions } from './processes';
import { startPrivateRedis, type PrivateRedis } from './private-redis';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Secrets minted per run and handed to the apps only through their environment, as in production. */
export interface RunSecrets {
  tokenKeySecret: string;
  scorer: string;
  controller: string;
  trainer: string;
  releaseManager: string;
  mlEngineer: string;
  viewer: string;
}

export interface System {
  runId: string;
  tmpRoot: string;
  schema: string;
  redis: PrivateRedis;
  secrets: RunSecrets;
  apps: { registry?: AppProcess; scorer: AppProcess; featureService: AppProcess; trainer?: AppProcess; controller?: AppProcess };
  all: AppProcess[];
  pg: Pool;
  stop(): Promise<void>;
}

const secret = (label: string): string => `${label}-${randomBytes(18).toString('base64url')}`;

/**
 * The region-eu deployment the security tests attack: a private redis-server (online store, event log, queues),
 * one PostgreSQL schema (registry, served-feature log, rollouts), and every app as a child process started exactly
 * like `npm run start:<app>` (`full`: registry, scorer, feature service, trainer, controller; otherwise scorer and
 * feature service), every log line captured. Logs at debug level: the scan must hold at the most verbose level.
 */
export async function startSystem(o: { full: boolean; region?: string }): Promise<System> {
  const runId = randomBytes(4).toString('hex');
  const region = o.region ?? 'eu';
  const tmpRoot = mkdtempSync(join(tmpdir(), `sec-e2e-${runId}-`));
  const schema = `sec_${runId}_${process.pid}`;
  const redis = await startPrivateRedis();
  const pg = new Pool({ connectionString: DATABASE_URL, max: 2 });
  const secrets: RunSecrets = {
    tokenKeySecret: secret('tk'),
    scorer: secret('svc-scorer'),
    controller: secret('svc-controller'),
    trainer: secret('svc-trainer'),
    releaseManager: secret('rm'),
    mlEngineer: secret('mle'),
    viewer: secret('viewer'),
  };
  const started: AppProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((a) => a.stop()));
    await redis.stop();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pg.end();
    rmSync(tmpRoot, { recursive: true, force: true });
  };
  try {
    // Everything boots in parallel (the machine is shared and each boot costs ~10 s of transpiling): the scorer boots
    // without a reachable registry by design, and the registry and controller share one migration advisory lock.
    const registryPort = await freePort();
    const registryUrl = `http://127.0.0.1:${registryPort}`;
    const specs: StartAppOptions[] = [];
    if (o.full) {
      specs.push({
        name: 'registry',
        entry: 'apps/registry/src/main.ts',
        port: registryPort,
        readyPath: '/health',
        env: {
          LOG_LEVEL: 'debug',
          DATABASE_URL,
          DB_SCHEMA: schema,
          DB_POOL_MAX: '3',
          ARTIFACT_DIR: join(tmpRoot, 'registry-artifacts'),
          REDIS_URL: redis.url,
          REGISTRY_TOKENS: [
            `scorer-eu:scorer:${secrets.scorer}`,
            `controller-eu:controller:${secrets.controller}`,
            `trainer-eu:trainer:${secrets.trainer}`,
            `rita:release-manager:${secrets.releaseManager}`,
            `mia:ml-engineer:${secrets.mlEngineer}`,
            `victor:viewer:${secrets.viewer}`,
          ].join(','),
        },
      });
    }
    specs.push(
      {
        name: 'scorer',
        entry: 'apps/scorer/src/main.ts',
        port: await freePort(),
        readyPath: '/health/ready',
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'debug',
          REGION: region,
          REDIS_URL: redis.url,
          TOKEN_KEYS: `k1=${secrets.tokenKeySecret}`,
          TOKEN_ACTIVE_KEY_ID: 'k1',
          MODEL_CACHE_DIR: join(tmpRoot, 'scorer-lkg'),
          MODEL_REFRESH_MS: '0',
          ...(o.full ? { REGISTRY_URL: registryUrl, REGISTRY_TOKEN: secrets.scorer } : {}),
        },
      },
      {
        name: 'feature-service',
        entry: 'apps/feature-service/src/main.ts',
        port: await freePort(),
        readyPath: '/health/ready',
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'debug',
          REGION: region,
          REDIS_URL: redis.url,
          CONSUMER_NAME: `fs-${runId}`,
          CONSUMER_MAX_DELIVERIES: '2',
          CONSUMER_CLAIM_IDLE_MS: '1000',
          ...(o.full ? { SERVED_LOG_DATABASE_URL: DATABASE_URL, SERVED_LOG_SCHEMA: schema } : {}),
        },
      },
    );
    if (o.full) {
      specs.push(
        {
          name: 'trainer',
          entry: 'apps/trainer/src/main.ts',
          port: await freePort(),
          readyPath: '/health/live',
          env: {
            NODE_ENV: 'production',
            LOG_LEVEL: 'debug',
            REDIS_URL: redis.url,
            QUEUE_PREFIX: `bull-${runId}`,
            WORKER_ENABLED: 'false',
            REGISTRY_URL: registryUrl,
            REGISTRY_TOKEN: secrets.trainer,
            ARTIFACT_DIR: join(tmpRoot, 'trainer-artifacts'),
            DATA_DIR: join(tmpRoot, 'trainer-data'),
            CODE_COMMIT: 'security-e2e',
          },
        },
        {
          name: 'controller',
          entry: 'apps/controller/src/main.ts',
          port: await freePort(),
          readyPath: '/health',
          env: {
            LOG_LEVEL: 'debug',
            DATABASE_URL,
            DB_SCHEMA: schema,
            DB_POOL_MAX: '2',
            REGISTRY_URL: registryUrl,
            REGISTRY_TOKEN: secrets.controller,
            REDIS_URL: redis.url,
            EVENT_LOG_REGIONS: region,
            CONSUMER_NAME: `ctl-${runId}`,
          },
        },
      );
    }
    const booted = await Promise.allSettled(specs.map((spec) => startApp({ timeoutMs: 80_000, ...spec })));
    for (const b of booted) if (b.status === 'fulfilled') started.push(b.value);
    const failed = booted.find((b): b is PromiseRejectedResult => b.status === 'rejected');
    if (failed) throw failed.reason;
    const byName = (n: string): AppProcess | undefined => started.find((a) => a.name === n);
    const need = (n: string): AppProcess => {
      const a = byName(n);
      if (!a) throw new Error(`${n} not started`);
      return a;
    };
    return {
      runId,
      tmpRoot,
      schema,
      redis,
      secrets,
      apps: { registry: byName('registry'), scorer: need('scorer'), featureService: need('feature-service'), trainer: byName('trainer'), controller: byName('controller') },
      all: started,
      pg,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export const newId = (): string => randomUUID();
