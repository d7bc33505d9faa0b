import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { QUEUES } from '@risk/contract-events';
import { parseRetentionPolicy, DEFAULT_RETENTION_TARGETS } from './retention.policy';
import { createRetentionWorker, RETENTION_JOB_NAME, scheduleRetention } from './retention.processor';
import { RunRetentionUseCase } from './run-retention.use-case';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const MIGRATIONS = join(__dirname, '../../../../../prisma/migrations');
const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-11-25T12:00:00Z');

describe('RunRetentionUseCase (real PostgreSQL, the real migrations in a private schema)', () => {
  const schema = `ret_${process.pid}_${randomUUID().slice(0, 8)}`;
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4, options: `-c search_path=${schema}` });
  let rolloutId: string;

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    for (const dir of readdirSync(MIGRATIONS).sort()) await pool.query(readFileSync(join(MIGRATIONS, dir, 'migration.sql'), 'utf8'));
    // a region-local table without a region column (each region has its own database)
    await pool.query(`CREATE TABLE "OfflineSample" ("id" UUID PRIMARY KEY DEFAULT gen_random_uuid(), "occurredAt" TIMESTAMPTZ(3) NOT NULL)`);
    rolloutId = randomUUID();
    await pool.query(
      `INSERT INTO "Rollout" ("id","model","versionId","subjectKind","regions","status","stepIndex","stepStartedAt","state","createdBy","updatedAt")
       VALUES ($1,'checkout',$2,'model','{eu,us}','canary',0,now(),'{}','test',now())`,
      [rolloutId, randomUUID()],
    );
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function seedDecisions(region: string, n: number, ageDays: number, tag: string): Promise<void> {
    await pool.query(
      `INSERT INTO "RolloutDecision" ("rolloutId","checkoutId","arm","action","region","createdAt","updatedAt")
       SELECT $1, $2 || g, 'canary', 'allow', $3, $4::timestamptz, $4::timestamptz FROM generate_series(1, $5) g`,
      [rolloutId, `chk_${tag}_`, region, new Date(NOW.getTime() - ageDays * DAY), n],
    );
  }
  const count = async (where: string, params: unknown[] = []): Promise<number> =>
    Number(((await pool.query(`SELECT count(*)::int AS n FROM "RolloutDecision" WHERE ${where}`, params)).rows[0] as { n: number }).n);

  it('deletes only its own region past the region retention, in bounded batches; keeps fresh rows and other regions', async () => {
    await seedDecisions('eu', 2500, 120, 'eu_old');
    await seedDecisions('eu', 200, 10, 'eu_new');
    await seedDecisions('us', 300, 120, 'us_old');
    await pool.query(`INSERT INTO "OfflineSample" ("occurredAt") SELECT now() - (g || ' days')::interval FROM generate_series(1, 60) g`);
    // served-feature log: 150 eu vectors, one per day back from NOW; 40 us vectors 200 days old
    await pool.query(
      `INSERT INTO "ServedFeatureVector" ("requestId","checkoutId","region","featureSet","featureSetVersion","entityTokens","featureNames","values","missing","servedAt")
       SELECT 'r' || g, 'c' || g, CASE WHEN g > 150 THEN 'us' ELSE 'eu' END, 'checkout', 1, '{"account":"tok_k1_AAAAAAAAAAAAAAAAAAAAAA"}', '{f}', '{1}', '{f}',
              CASE WHEN g > 150 THEN $1::timestamptz - interval '200 days' ELSE $1::timestamptz - (g || ' days')::interval END
       FROM generate_series(1, 190) g`,
      [NOW],
    );
    const policy = parseRetentionPolicy({
      days: { eu: 90, us: 365 },
      batchSize: 1000,
      targets: [...DEFAULT_RETENTION_TARGETS, { table: 'NotMigratedYet' }, { table: 'OfflineSample', timestampColumn: 'occurredAt', days: { eu: 30 } }],
    });
    const report = await new RunRetentionUseCase({ sql: pool, region: 'eu', policy, schema, clock: () => NOW }).execute();

    const byTable = Object.fromEntries(report.targets.map((t) => [t.table, t]));
    expect(byTable['RolloutDecision']).toMatchObject({ outcome: 'done', deleted: 2500, batches: 3, retentionDays: 90 });
    // tables whose migrations have not landed are reported, not an error
    expect(byTable['NotMigratedYet']?.outcome).toBe('skipped_missing_table');
    // eu vectors served 91..150 days before NOW are gone (strictly older than 90 days), us vectors untouched
    expect(byTable['ServedFeatureVector']).toMatchObject({ outcome: 'done', deleted: 60 });
    const served = (await pool.query(`SELECT region, count(*)::int AS n, min("servedAt") AS oldest FROM "ServedFeatureVector" GROUP BY region ORDER BY region`)).rows as { region: string; n: number; oldest: Date }[];
    expect(served.map((r) => [r.region, r.n])).toEqual([
      ['eu', 90],
      ['us', 40],
    ]);
    expect(await count(`region = 'eu'`)).toBe(200);
    expect(await count(`region = 'us'`)).toBe(300);
    // OfflineSample is compared against the real clock's now() in SQL; 30-day retention relative to NOW (2026-11-25)
    const left = Number(((await pool.query(`SELECT count(*)::int AS n FROM "OfflineSample" WHERE "occurredAt" < $1`, [new Date(NOW.getTime() - 30 * DAY)])).rows[0] as { n: number }).n);
    expect(left).toBe(0);
    expect(report.deleted).toBe(2500 + 60 + (byTable['OfflineSample']?.deleted ?? NaN));
  });

  it('stops at maxBatchesPerTarget and reports more_remaining; a region without a policy keeps its data', async () => {
    await seedDecisions('us', 50, 400, 'us_older');
    const us = parseRetentionPolicy({ days: { us: 365 }, batchSize: 100, maxBatchesPerTarget: 2, targets: [{ table: 'RolloutDecision', regionColumn: 'region' }] });
    const before = await count(`region = 'us'`);
    await seedDecisions('us', 250, 400, 'us_oldest');
    const run = await new RunRetentionUseCase({ sql: pool, region: 'us', policy: us, schema, clock: () => NOW }).execute();
    expect(run.targets[0]).toMatchObject({ outcome: 'more_remaining', deleted: 200, batches: 2 });
    const again = await new RunRetentionUseCase({ sql: pool, region: 'us', policy: us, schema, clock: () => NOW }).execute();
    expect(again.targets[0]).toMatchObject({ outcome: 'done', deleted: 100 });
    expect(await count(`region = 'us'`)).toBe(before + 250 - 300);

    const apac = await new RunRetentionUseCase({ sql: pool, region: 'apac', policy: us, schema, clock: () => NOW }).execute();
    expect(apac.targets[0]).toMatchObject({ outcome: 'skipped_no_policy', deleted: 0 });
  });

  it('runs as a BullMQ job on QUEUES.retention (real Redis) and schedules idempotently', async () => {
    await seedDecisions('eu', 40, 200, 'eu_bull');
    const prefix = `t-ret-${randomUUID().slice(0, 8)}`;
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.retention, { connection, prefix });
    const events = new QueueEvents(QUEUES.retention, { connection: { url: REDIS_URL }, prefix });
    const policy = parseRetentionPolicy({ days: { eu: 90 }, targets: [{ table: 'RolloutDecision', regionColumn: 'region' }] });
    const worker = createRetentionWorker(new RunRetentionUseCase({ sql: pool, region: 'eu', policy, schema, clock: () => NOW }), { connection: { url: REDIS_URL }, prefix });
    try {
      await events.waitUntilReady();
      const job = await queue.add(RETENTION_JOB_NAME, { reason: 'test' });
      const result = await job.waitUntilFinished(events, 20_000);
      expect(result).toMatchObject({ region: 'eu', deleted: 40 });
      expect(await count(`"checkoutId" LIKE 'chk_eu_bull_%'`)).toBe(0);

      await scheduleRetention(queue, { everyMs: 3600_000 });
      await scheduleRetention(queue, { everyMs: 3600_000 });
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
