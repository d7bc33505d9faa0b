import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { ServedFeatureLog } from '@risk/online-store';
import { applyLabelMaturity, DAY_MS, defaultLabelPolicy } from '../labels/label-maturity';
import { parseTrainingJobRequest, toTrainingJobCommand, createDataSource } from '../job/training-job.schema';
import { runTrainingJob } from '../job/run-training-job';
import { ServedFeatureLogDataSource } from './served-feature-log.data-source';

const MIGRATION = join(__dirname, '../../../../../../prisma/migrations/20261125101500_served_feature_log/migration.sql');
const names = checkoutFeatureSet.featureNames;
const FROM = Date.UTC(2026, 8, 1);
const TO = Date.UTC(2026, 10, 1);
const CUTOFF = Date.UTC(2026, 10, 20);
const CHARGEBACK_DAYS = 30;

describe('ServedFeatureLogDataSource (real PostgreSQL)', () => {
  const schema = `t_trainsrv_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test', max: 1 });
  let pool: Pool;
  /** checkoutId -> the values served last for it */
  const served = new Map<string, number[]>();
  const servedAt = new Map<string, number>();

  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test', options: `-c search_path="${schema}"`, max: 2 });
    await pool.query(readFileSync(MIGRATION, 'utf8'));
    const log = new ServedFeatureLog({ pool, maxBatch: 200, flushIntervalMs: 60_000 });
    const offer = (checkoutId: string, region: string, t: number, seed: number) => {
      // Doubles that Float32 cannot hold exactly: the source must hand back what was served, rounded once.
      const values = names.map((_, j) => (j === names.indexOf('amount') ? 10 + seed : Math.sin(seed * 31 + j) * 1000 + 1 / 3));
      log.offer({
        requestId: randomUUID(),
        checkoutId,
        region,
        featureSet: 'checkout',
        featureSetVersion: checkoutFeatureSet.version,
        entityTokens: { account: `acct_${seed % 17}`, card: `card_${seed % 23}`, payment_method: seed % 3 ? 'pm_eu_card_visa_credit' : 'pm_eu_wallet_x' },
        featureNames: names,
        values,
        missing: names.map(() => 0),
        servedAt: t,
      });
      if (region === 'eu') {
        served.set(checkoutId, values);
        servedAt.set(checkoutId, t);
      }
    };
    for (let i = 0; i < 240; i++) offer(`chk_${i}`, 'eu', FROM + i * 6 * 3600_000, i);
    // Another region's traffic and a vector outside the window must not be read.
    for (let i = 0; i < 20; i++) offer(`us_${i}`, 'us', FROM + i * 3600_000, 1000 + i);
    offer('late_0', 'eu', TO + 3600_000, 5000);
    served.delete('late_0');
    servedAt.delete('late_0');
    // A client retry: the same checkout served again, later; the later vector stands.
    offer('chk_10', 'eu', FROM + 10 * 6 * 3600_000 + 5000, 9999);
    await log.close();
    expect(log.stats.written).toBe(262);

    const label = (checkoutId: string, l: 'fraud' | 'legitimate', source: string, at: number) =>
      log.applyLabel({ checkoutId, region: 'eu', label: l, source, labelledAt: at });
    for (let i = 0; i < 240; i += 8) await label(`chk_${i}`, 'fraud', i % 16 ? 'chargeback' : 'manual_review', FROM + i * 6 * 3600_000 + 5 * DAY_MS);
    // Immature (served 3 days before the cut-off window edge) but carrying a "legitimate" label in the log.
    await label('chk_235', 'legitimate', 'maturity', CUTOFF - DAY_MS);
    // A fraud label that arrives after the cut-off: unknown at training time.
    await label('chk_3', 'fraud', 'chargeback', CUTOFF + DAY_MS);
    // An unknown source is not evidence.
    await label('chk_5', 'fraud', 'rumour', FROM + 10 * DAY_MS);
  }, 30_000);

  afterAll(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });

  it('reads exactly the served vectors of the region and window (one per checkout, the last served), with their fraud labels', async () => {
    const src = new ServedFeatureLogDataSource({ pool, region: 'eu', pageSize: 50 });
    const data = await src.load({ window: { from: FROM, to: TO } });
    expect(data.featureSet).toEqual({ name: 'checkout', version: checkoutFeatureSet.version });
    expect(data.featureNames).toEqual([...names]);
    expect(data.n).toBe(served.size);
    expect(new Set(data.transactionId)).toEqual(new Set(served.keys()));
    const w = names.length;
    for (let k = 0; k < data.n; k++) {
      const id = data.transactionId[k];
      expect(Array.from(data.X.subarray(k * w, (k + 1) * w))).toEqual(Array.from(Float32Array.from(served.get(id) as number[])));
      expect(data.occurredAt[k]).toBe(servedAt.get(id));
      if (k > 0) expect(data.occurredAt[k]).toBeGreaterThanOrEqual(data.occurredAt[k - 1]);
    }
    const k10 = data.transactionId.indexOf('chk_10');
    expect(data.amount[k10]).toBe(10 + 9999);
    expect(new Set(data.paymentMethod)).toEqual(new Set(['pm_eu_card_visa_credit', 'pm_eu_wallet_x']));
    expect(data.region.every((r) => r === 'eu')).toBe(true);
    expect(data.signals.filter((s) => s.source === 'manual_review').length).toBe(15);
    expect(src.ignoredLabels).toBe(1);
  });

  it('under label maturity, immature rows are never legitimate and late fraud labels are unknown', async () => {
    const data = await new ServedFeatureLogDataSource({ pool, region: 'eu' }).load({ window: { from: FROM, to: TO } });
    const rows = data.transactionId.map((transactionId, i) => ({ transactionId, occurredAt: data.occurredAt[i] }));
    const { rows: labelled, report } = applyLabelMaturity(rows, data.signals, defaultLabelPolicy({ maturityCutoff: CUTOFF, window: { from: FROM, to: TO }, chargebackWindowMs: CHARGEBACK_DAYS * DAY_MS }));
    const matureBefore = CUTOFF - CHARGEBACK_DAYS * DAY_MS;
    for (const r of labelled) if (r.status === 'legitimate') expect(r.row.occurredAt).toBeLessThanOrEqual(matureBefore);
    const status = new Map(labelled.map((r) => [r.row.transactionId, r.status]));
    expect(status.get('chk_235')).toBeUndefined(); // immature: excluded despite the log's "legitimate"
    expect(status.get('chk_3')).toBe('legitimate'); // its fraud label arrived after the cut-off
    expect(status.get('chk_8')).toBe('fraud');
    expect(report.counts.fraud).toBe(30);
    expect(report.counts.ignoredLateSignals).toBe(1);
    expect(report.counts.excludedImmature).toBe([...servedAt.values()].filter((t) => t > matureBefore).length - labelled.filter((r) => r.status === 'fraud' && r.row.occurredAt > matureBefore).length);
  });

  it('a job over the served log records window, maturity cut-off and feature-set version in its lineage', async () => {
    const req = parseTrainingJobRequest({
      jobKey: 'served-log-job',
      modelType: 'logistic',
      dataSource: { source: 'served-log', region: 'eu', window: { from: '2026-09-01', to: '2026-11-01' }, maturityCutoff: '2026-11-20' },
      chargebackWindowDays: CHARGEBACK_DAYS,
      hyperparameters: { network: { epochs: 2 } },
    });
    expect(req.trainWindow).toEqual({ from: '2026-09-01T00:00:00.000Z', to: '2026-10-20T00:00:00.000Z' });
    const res = await runTrainingJob(toTrainingJobCommand(req), { dataSource: createDataSource(req.dataSource, 'tmp', { pool }), codeCommit: 'int' });
    expect(res.lineage).toMatchObject({
      featureSet: `checkout@${checkoutFeatureSet.version}`,
      maturityCutoff: '2026-11-20T00:00:00.000Z',
      trainWindowFrom: '2026-09-01T00:00:00.000Z',
      evaluationWindowTo: '2026-11-01T00:00:00.000Z',
      dataSource: expect.stringContaining('served-feature log (region=eu'),
    });
    expect(res.labels.counts.fraud).toBeGreaterThan(0);
  }, 30_000);
});
