/** Seeds the demo: `node -r ./tools/node/register.js apps/registry/src/seed.ts` (migrates first). */
import { join } from 'node:path';
import { RegistryService, seedDemo } from '@risk/registry';
import { createRegistryPrisma, runMigrations } from '@risk/registry-data';
import { createLogger } from '@risk/util-logging';
import { loadRegistryConfig } from './registry.config';
import { artifactStore } from './registry.app';

async function main(): Promise<void> {
  const cfg = loadRegistryConfig();
  const logger = createLogger({ name: 'registry-seed', level: cfg.LOG_LEVEL });
  await runMigrations({ databaseUrl: cfg.DATABASE_URL, schema: cfg.DB_SCHEMA, migrationsDir: join(__dirname, '../../../prisma/migrations'), logger });
  const prisma = createRegistryPrisma({ databaseUrl: cfg.DATABASE_URL, schema: cfg.DB_SCHEMA });
  try {
    const svc = new RegistryService(prisma, artifactStore(cfg), logger, { regions: cfg.REGISTRY_REGIONS, maxArtifactBytes: cfg.ARTIFACT_MAX_BYTES });
    logger.info(await seedDemo(svc), 'demo seeded; tokens: see DEMO_TOKENS in libs/registry/feature-registry/src/lib/demo-seed.ts');
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
