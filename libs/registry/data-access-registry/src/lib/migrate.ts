import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Logger } from '@risk/util-logging';

export interface MigrateOptions {
  databaseUrl: string;
  /** Target schema (created if missing). `public` in production; a unique schema per test file. */
  schema?: string;
  migrationsDir: string;
  logger?: Logger;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const FOLDER = /^\d{14}_[a-z0-9_]+$/;

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/**
 * Offline replacement for `prisma migrate deploy`: applies pending migration folders in name order, each in
 * its own transaction, recording them in a `_prisma_migrations`-compatible table. A session advisory lock keyed
 * on the schema makes concurrent runs wait and then find nothing to do. A changed applied file is refused.
 */
export async function runMigrations(opts: MigrateOptions): Promise<MigrateResult> {
  const schema = opts.schema ?? 'public';
  const q = quoteIdent(schema);
  const folders = (await readdir(opts.migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && FOLDER.test(d.name))
    .map((d) => d.name)
    .sort();
  const client = new Client({ connectionString: opts.databaseUrl, application_name: 'db-migrate' });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`checkout-risk:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`SET search_path TO ${q}`);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const name of folders) {
      const sql = await readFile(join(opts.migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const prior = done.get(name);
      if (prior) {
        if (prior !== checksum) throw new Error(`migration ${name} was edited after it was applied (checksum mismatch); add a new migration instead`);
        result.alreadyApplied.push(name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(err as Error).message}`);
      }
      opts.logger?.info({ migration: name, schema }, 'migration applied');
      result.applied.push(name);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`checkout-risk:migrate:${schema}`]).catch(() => undefined);
    await client.end();
  }
  return result;
}

/** Test helper: drops a per-test schema and everything in it. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (schema === 'public') throw new Error('refusing to drop public');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
