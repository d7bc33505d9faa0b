import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { exampleLabelConfirmed } from '@risk/contract-events';
import { computeBatch } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { handbookFeatureSet, handbookLabelEvent, handbookTransactionEvent, parseHandbookDatetime } from '@risk/feature-sets';
import { createOnlineRedis, OnlineFeatureReader, OnlineFeatureStore, ServedFeatureLog } from '@risk/online-store';
import { simulateHandbook } from '@risk/simulators';
import { BackfillFeatureUseCase } from './backfill.use-case';
import { JoinServedLabelsUseCase } from './join-served-labels.use-case';

const MIGRATION = join(__dirname, '../../../../../prisma/migrations/20261125101500_served_feature_log/migration.sql');
const set = handbookFeatureSet;

describe('served-feature log (real PostgreSQL) and label join', () => {
  const schema = `t_served_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test', max: 1 });
  let pool: Pool;
  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test', options: `-c search_path="${schema}"`, max: 2 });
    await pool.query(readFileSync(MIGRATION, 'utf8'));
  });
  afterAll(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });

  const vector = (i: number, checkoutId: string) => ({
    requestId: randomUUID(),
    checkoutId,
    region: 'eu',
    featureSet: set.name,
    featureSetVersion: set.version,
    entityTokens: { customer: `c${i}`, terminal: 't1' },
    featureNames: set.featureNames,
    values: Float64Array.from(set.featureNames, (_, j) => i + j / 10),
    missing: Uint8Array.from(set.featureNames, (_, j) => (j === 3 ? 1 : 0)),
    servedAt: Date.UTC(2026, 10, 27, 9, 15, i),
  });

  it('appends served vectors in batches without blocking, then joins matured labels onto them', async () => {
    const log = new ServedFeatureLog({ pool, maxBatch: 100, flushIntervalMs: 10_000 });
    const label = exampleLabelConfirmed();
    for (let i = 0; i < 250; i++) expect(log.offer(vector(i, i === 7 ? label.payload.original.checkoutId : `chk_${i}`))).toBe(true);
    // offer() only enqueued: nothing reached Postgres yet
    expect(log.stats).toMatchObject({ offered: 250, written: 0, buffered: 250 });
    await log.close();
    expect(log.stats).toMatchObject({ offered: 250, written: 250, dropped: 0 });
    const rows = await pool.query(`SELECT "values", "missing", "entityTokens", "featureSetVersion" FROM "ServedFeatureVector" WHERE "checkoutId" = 'chk_3'`);
    expect(rows.rows[0].values).toEqual(Array.from(vector(3, 'x').values));
    expect(rows.rows[0].missing[3]).toBe(true);
    expect(rows.rows[0].entityTokens).toEqual({ customer: 'c3', terminal: 't1' });

    const join = new JoinServedLabelsUseCase({ writer: log, region: 'eu' });
    expect(await join.execute(label)).toEqual({ updated: 1 });
    expect(await join.execute(label)).toEqual({ updated: 1 }); // redelivery: same result
    const labelled = await pool.query(`SELECT "checkoutId", "label", "labelSource" FROM "ServedFeatureVector" WHERE "label" IS NOT NULL`);
    expect(labelled.rows).toEqual([{ checkoutId: label.payload.original.checkoutId, label: 'fraud', labelSource: 'chargeback' }]);
    await expect(join.execute({ ...label, region: 'us' })).rejects.toMatchObject({ code: 'RESIDENCY_VIOLATION' });
  });

  it('drops (and counts) instead of waiting when the buffer is full', async () => {
    const log = new ServedFeatureLog({ pool, maxBuffered: 10, flushIntervalMs: 10_000 });
    let accepted = 0;
    for (let i = 0; i < 25; i++) if (log.offer(vector(i, `drop_${i}`))) accepted++;
    expect(accepted).toBe(10);
    expect(log.stats.dropped).toBe(15);
    await log.close();
    expect(log.stats.written).toBe(10);
  });
});

describe('backfill: batch engine over the history, then warm the online state', () => {
  it('warmed states read exactly like the batch engine', async () => {
    const ds = simulateHandbook({ customers: 40, terminals: 60, days: 15, seed: 5 });
    const events: EngineEvent[] = [];
    for (let i = 0; i < ds.size; i++) {
      const r = ds.row(i);
      const row = { transactionId: String(r.transactionId), time: parseHandbookDatetime(r.txDatetime), customerId: String(r.customerId), terminalId: String(r.terminalId), amount: r.txAmount, fraud: r.txFraud === 1 };
      events.push(handbookTransactionEvent(row), handbookLabelEvent(row));
    }
    events.sort((a, b) => a.time - b.time);
    const redis = createOnlineRedis('redis://127.0.0.1:6379', { commandTimeoutMs: 2000, failFast: false });
    const prefix = `t-backfill-${randomUUID().slice(0, 8)}`;
    try {
      const backfill = new BackfillFeatureUseCase((s) => new OnlineFeatureStore({ redis, set: s, keyPrefix: prefix, region: 'eu' }));
      const res = await backfill.execute({ set, events });
      expect(res.events).toBe(events.length);
      const tokens = new Set(events.flatMap((e) => (e.type === 'handbook.transaction' ? [`c:${e.entities['customer']}`, `t:${e.entities['terminal']}`] : [])));
      expect(res.entities).toBe(tokens.size);
      const reader = new OnlineFeatureReader({ redis, set, keyPrefix: prefix, region: 'eu', deadlineMs: 2000 });
      const t = res.upTo + 1000;
      const probes = events.filter((e) => e.type === 'handbook.transaction').slice(-30).map((e, i) => ({ ...e, eventId: `p${i}`, time: t }));
      const expected = computeBatch(set, events, probes);
      for (let i = 0; i < probes.length; i++) {
        const got = await reader.read(probes[i]);
        expect(Array.from(got.values)).toEqual(Array.from(expected.values.subarray(i * expected.width, (i + 1) * expected.width)));
      }
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
