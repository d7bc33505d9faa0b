/**
 * Applies pending SQL migrations from prisma/migrations offline (no Prisma schema-engine download).
 * Usage: npm run db:migrate  [DATABASE_URL=postgresql://… DB_SCHEMA=public]
 */
import { join } from 'node:path';
import { runMigrations } from '@risk/registry-data';
import { createLogger } from '@risk/util-logging';

async function main(): Promise<void> {
  const logger = createLogger({ name: 'db-migrate' });
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const schema = process.env['DB_SCHEMA'] ?? 'public';
  const res = await runMigrations({ databaseUrl, schema, migrationsDir: join(__dirname, '../../../prisma/migrations'), logger });
  logger.info({ schema, applied: res.applied, alreadyApplied: res.alreadyApplied.length }, 'migrations up to date');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
