import { join } from 'node:path';
import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RegistryService, seedDemo, isRole } from '@risk/registry';
import {
  createRegistryPrisma,
  LocalArtifactStore,
  OutboxRelay,
  runMigrations,
  S3ArtifactStore,
  type ArtifactStore,
  type ChangeEventPublisher,
  type RegistryPrisma,
} from '@risk/registry-data';
import { TOPICS } from '@risk/contract-events';
import { createEventLog, type EventLog } from '@risk/event-log';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import { AuditController } from './app/audit.controller';
import { AuthGuard } from './app/auth.guard';
import { GovernanceController } from './app/governance.controller';
import { HealthController, PRISMA } from './app/health.controller';
import { ModelsController } from './app/models.controller';
import { UiController } from './app/ui.controller';
import type { RegistryConfig } from './registry.config';

export const MIGRATIONS_DIR = join(__dirname, '../../../prisma/migrations');

export interface RegistryApp {
  app: NestFastifyApplication;
  eventLog: EventLog | null;
  service: RegistryService;
  prisma: RegistryPrisma;
  relay: OutboxRelay | null;
  close(): Promise<void>;
}

function buildModule(service: RegistryService, prisma: RegistryPrisma): Type<unknown> {
  @Module({
    controllers: [ModelsController, GovernanceController, AuditController, UiController, HealthController],
    providers: [{ provide: RegistryService, useValue: service }, { provide: PRISMA, useValue: prisma }, AuthGuard],
  })
  class RegistryModule {}
  return RegistryModule;
}

/** Local content-addressed directory by default; S3-compatible (SigV4) when ARTIFACT_STORE=s3. */
export function artifactStore(cfg: RegistryConfig): ArtifactStore {
  if (cfg.ARTIFACT_STORE === 's3') {
    return new S3ArtifactStore({
      endpoint: cfg.S3_ENDPOINT ?? '',
      bucket: cfg.S3_BUCKET ?? '',
      region: cfg.S3_REGION,
      accessKeyId: cfg.S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: cfg.S3_SECRET_ACCESS_KEY ?? '',
    });
  }
  return new LocalArtifactStore(cfg.ARTIFACT_DIR);
}

async function connectEventLog(cfg: RegistryConfig, logger: Logger): Promise<EventLog | null> {
  if (cfg.EVENT_LOG === 'none' || !cfg.OUTBOX_ENABLED) return null;
  // Blocking mode: the outbox row is marked published only once the log acknowledged it (nothing lost).
  return cfg.EVENT_LOG === 'redis'
    ? createEventLog({ backend: 'redis', redisUrl: cfg.REDIS_URL, keyPrefix: cfg.EVENT_LOG_KEY_PREFIX, clientId: 'registry', publishMode: 'blocking' }, { logger })
    : createEventLog({ backend: 'kafka', brokers: cfg.KAFKA_BROKERS, clientId: 'registry', publishMode: 'blocking' }, { logger });
}

/** Adapts the shared event log to the outbox relay's publisher port. */
export function eventLogPublisher(log: EventLog): ChangeEventPublisher {
  return {
    publish: (topic, key, payload) => {
      const p = payload as { id?: string; type?: string };
      return log.publish(topic, key, payload as object, { 'x-event-id': p.id ?? '', 'x-event-type': p.type ?? '' });
    },
  };
}

/** Wires the registry: migrations (optional), Prisma, artifact store, use cases, outbox relay and the HTTP app. */
export async function createRegistryApp(cfg: RegistryConfig, logger: Logger): Promise<RegistryApp> {
  if (cfg.DB_MIGRATE_ON_BOOT) await runMigrations({ databaseUrl: cfg.DATABASE_URL, schema: cfg.DB_SCHEMA, migrationsDir: MIGRATIONS_DIR, logger });
  const prisma = createRegistryPrisma({ databaseUrl: cfg.DATABASE_URL, schema: cfg.DB_SCHEMA, poolMax: cfg.DB_POOL_MAX });
  const service = new RegistryService(prisma, artifactStore(cfg), logger, { regions: cfg.REGISTRY_REGIONS, maxArtifactBytes: cfg.ARTIFACT_MAX_BYTES });
  const tokens = cfg.REGISTRY_TOKENS.filter((t) => isRole(t.role));
  if (tokens.length !== cfg.REGISTRY_TOKENS.length) throw new Error('REGISTRY_TOKENS contains an unknown role');
  await service.seedTokens(tokens.map((t) => ({ principal: t.principal, role: t.role as never, token: t.token })));
  if (cfg.REGISTRY_SEED_DEMO) {
    const r = await seedDemo(service);
    logger.info(r, 'demo seed');
  }
  const app = await createHttpApp(buildModule(service, prisma), { title: 'checkout-risk model registry', logger, bodyLimitBytes: 1024 * 1024 });
  const fastify = app.getHttpAdapter().getInstance();
  // Nest routes are slash-sensitive on Fastify; send /ui/ to the UI too.
  fastify.get('/ui/', (_req, reply) => reply.redirect('/ui', 302));
  fastify
    .addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: cfg.ARTIFACT_MAX_BYTES }, (_req, body, done) => done(null, body));
  const eventLog = await connectEventLog(cfg, logger);
  const relay = cfg.OUTBOX_ENABLED
    ? new OutboxRelay(
        prisma,
        logger,
        { topic: TOPICS.registryChanges, pollMs: cfg.OUTBOX_POLL_MS, webhookTimeoutMs: cfg.WEBHOOK_TIMEOUT_MS, maxAttempts: cfg.WEBHOOK_MAX_ATTEMPTS, backoffBaseMs: cfg.WEBHOOK_BACKOFF_BASE_MS },
        eventLog ? eventLogPublisher(eventLog) : null,
      )
    : null;
  relay?.start();
  return {
    app,
    eventLog,
    service,
    prisma,
    relay,
    async close() {
      await relay?.stop();
      await app.close();
      await eventLog?.close({ timeoutMs: 2000 });
      await prisma.$disconnect();
    },
  };
}
