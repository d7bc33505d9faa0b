import { join } from 'node:path';
import { Client } from 'pg';
import { dropSchema, runMigrations } from './migrate';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const schema = `mig_${process.pid}_${Date.now().toString(36)}`;
const migrationsDir = join(__dirname, '../../../../../prisma/migrations');

afterAll(() => dropSchema(DATABASE_URL, schema));

describe('runMigrations', () => {
  it('applies every folder once even when runs race, and is idempotent afterwards', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runMigrations({ databaseUrl: DATABASE_URL, schema, migrationsDir })));
    const appliedCounts = runs.map((r) => r.applied.length).sort();
    expect(appliedCounts[2]).toBeGreaterThan(0);
    expect(appliedCounts.slice(0, 2)).toEqual([0, 0]);
    const again = await runMigrations({ databaseUrl: DATABASE_URL, schema, migrationsDir });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBe(appliedCounts[2]);

    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${schema}"."_prisma_migrations"`);
      expect(rows[0].n).toBe(appliedCounts[2]);
      // The audit log is append-only, even for a superuser.
      await c.query(`INSERT INTO "${schema}"."AuditLog" (actor, "actorRole", action, details) VALUES ('t', 'viewer', 'x', '{}')`);
      await expect(c.query(`UPDATE "${schema}"."AuditLog" SET actor = 'evil'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM "${schema}"."AuditLog"`)).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
  });
});
