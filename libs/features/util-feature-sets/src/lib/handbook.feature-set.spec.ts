import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { computeBatch, toFeatureRecord } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { handbookFeatureSet } from './handbook.feature-set';
import type { HandbookVector } from './handbook.feature-set';
import { handbookColumnIndex, handbookLabelEvent, handbookTransactionEvent, parseHandbookDatetime, parseHandbookRow } from './handbook-raw';
import type { HandbookRawRow } from './handbook-raw';
import { HandbookReplay } from './handbook-replay';

const FIXTURE = join(__dirname, '__fixtures__', 'handbook-mini.csv');
const REPO_ROOT = join(__dirname, '../../../../..');

function fixtureRows(): HandbookRawRow[] {
  const [header, ...lines] = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  const idx = handbookColumnIndex(header.split(','));
  return lines.map((l, i) => parseHandbookRow(l.split(','), idx, i + 2));
}

/*
 * Hand-computed expectations for __fixtures__/handbook-mini.csv (2 customers, 2 terminals, 14 rows).
 * Columns: amount, weekend, night, C-NB1, C-AVG1, C-NB7, C-AVG7, C-NB30, C-AVG30, T-NB1, T-RISK1, T-NB7, T-RISK7, T-NB30, T-RISK30.
 * Customer windows are (t-w, t] including the row; terminal windows are (t-7d-w, t-7d] with RISK = frauds/txs.
 * 2018-04-01 is a Sunday. C0 = rows 0,1,3,5,7,9,10,12; C1 = rows 2,4,6,8,11,13; T0 = rows 0,2,3,5,6,9,10; T1 = 1,4,7,8,11,12,13.
 */
const EXPECTED: Record<string, number[]> = {
  // Sun 07:00; C0 {0}; T0 t-7d = 03-25: nothing
  '0': [10, 1, 0, 1, 10, 1, 10, 1, 10, 0, 0, 0, 0, 0, 0],
  // Sun 23:30; C0 {0,1}: (10+20.5)/2 = 15.25
  '1': [20.5, 1, 0, 2, 15.25, 2, 15.25, 2, 15.25, 0, 0, 0, 0, 0, 0],
  // Mon 05:00 (night); C1 {2}
  '2': [30, 0, 1, 1, 30, 1, 30, 1, 30, 0, 0, 0, 0, 0, 0],
  // Mon 04-02 07:00; 1d (04-01 07:00, t] drops row 0 exactly at the edge: {1,3} (20.5+40)/2 = 30.25; 7d/30d {0,1,3} 70.5/3 = 23.5
  '3': [40, 0, 0, 2, 30.25, 3, 23.5, 3, 23.5, 0, 0, 0, 0, 0, 0],
  // Thu 12:00; C1 1d {4}; 7d/30d {2,4} (30+50.25)/2 = 40.125
  '4': [50.25, 0, 0, 1, 50.25, 2, 40.125, 2, 40.125, 0, 0, 0, 0, 0, 0],
  // Sun 06:59:59 (hour 6 = night); C0 1d {5}; 7d (04-01 06:59:59, t] keeps row 0: {0,1,3,5} 130.5/4 = 32.625;
  // T0 t-7d = 04-01 06:59:59 < row 0 (07:00:00): nothing yet
  '5': [60, 1, 1, 1, 60, 4, 32.625, 4, 32.625, 0, 0, 0, 0, 0, 0],
  // Sun 07:00; C1 7d {2,4,6} 150.25/3; T0 t-7d = 04-01 07:00 includes row 0 (right-closed edge), its label arrives exactly at t: 1 tx, 0 fraud
  '6': [70, 1, 0, 1, 70, 3, 150.25 / 3, 3, 150.25 / 3, 1, 0, 1, 0, 1, 0],
  // Mon 00:00 (night); C0 1d (04-08 00:00, t] {5,7} 140/2 = 70; 7d (04-02 00:00, t] {3,5,7} 180/3 = 60; 30d {0,1,3,5,7} 210.5/5 = 42.1;
  // T1 t-7d = 04-02 00:00: every window holds row 1 (fraud): 1 tx, risk 1
  '7': [80, 0, 1, 2, 70, 3, 60, 5, 42.1, 1, 1, 1, 1, 1, 1],
  // Thu 12:00; C1 7d (04-05 12:00, t] drops row 4 at the edge: {6,8} 160/2 = 80; 30d {2,4,6,8} 240.25/4 = 60.0625;
  // T1 t-7d = 04-05 12:00: 1d {4} fraud -> 1, 1; 7d/30d {1,4} both fraud -> 2, 1
  '8': [90, 0, 0, 1, 90, 2, 80, 4, 60.0625, 1, 1, 2, 1, 2, 1],
  // Fri 10:00; C0 30d {0,1,3,5,7,9} 310.5/6 = 51.75; T0 t-7d = 04-13 10:00: 1d none; 7d {5,6} 0 fraud; 30d {0,2,3,5,6} 0 fraud
  '9': [100, 0, 0, 1, 100, 1, 100, 6, 51.75, 0, 0, 2, 0, 5, 0],
  // Tue 05-01 07:00; C0 30d (04-01 07:00, t] drops row 0: {1,3,5,7,9,10} 410.5/6; T0 t-7d = 04-24 07:00: 7d {9} fraud -> 1, 1;
  // 30d {0,2,3,5,6,9} -> 6, 1/6
  '10': [110, 0, 0, 1, 110, 1, 110, 6, 410.5 / 6, 0, 0, 1, 1, 6, 1 / 6],
  // Sat 03:00 (night); C1 30d (04-05 03:00, t] {4,6,8,11} 330.25/4 = 82.5625; T1 t-7d = 04-28 03:00: 30d {1,4,7,8} 2 frauds -> 4, 0.5
  '11': [120, 1, 1, 1, 120, 1, 120, 4, 82.5625, 0, 0, 0, 0, 4, 0.5],
  // Wed 00:00 (night); C0 30d (04-09 00:00, t] drops row 7: {9,10,12} 340/3; T1 t-7d = 05-02 00:00: 30d (04-02 00:00, ..] {4,7,8} -> 3, 1/3
  '12': [130, 0, 1, 1, 130, 1, 130, 3, 340 / 3, 0, 0, 0, 0, 3, 1 / 3],
  // Sat 12:00; C1 7d (05-05 12:00, t] drops row 11: {13}; 30d (04-12 12:00, t] drops row 8: {11,13} 260/2 = 130;
  // T1 t-7d = 05-05 12:00: 1d/7d {11} fraud -> 1, 1; 30d (04-05 12:00, ..] drops row 4: {7,8,11} -> 3, 1/3
  '13': [140, 1, 0, 1, 140, 1, 140, 2, 130, 1, 1, 1, 1, 3, 1 / 3],
};

function expectRow(actual: ArrayLike<number>, expected: number[], id: string): void {
  expect(actual.length).toBe(15);
  for (let i = 0; i < 15; i++) {
    if (Math.abs(actual[i] - expected[i]) > 1e-9) {
      throw new Error(`row ${id} ${handbookFeatureSet.featureNames[i]}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe('handbook feature set', () => {
  it('has exactly the 15 spec features, in order', () => {
    expect(handbookFeatureSet.featureNames).toEqual([
      'TX_AMOUNT',
      'TX_DURING_WEEKEND',
      'TX_DURING_NIGHT',
      'CUSTOMER_ID_NB_TX_1DAY_WINDOW',
      'CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW',
      'CUSTOMER_ID_NB_TX_7DAY_WINDOW',
      'CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW',
      'CUSTOMER_ID_NB_TX_30DAY_WINDOW',
      'CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW',
      'TERMINAL_ID_NB_TX_1DAY_WINDOW',
      'TERMINAL_ID_RISK_1DAY_WINDOW',
      'TERMINAL_ID_NB_TX_7DAY_WINDOW',
      'TERMINAL_ID_RISK_7DAY_WINDOW',
      'TERMINAL_ID_NB_TX_30DAY_WINDOW',
      'TERMINAL_ID_RISK_30DAY_WINDOW',
    ]);
  });

  it('parses naive datetimes as UTC and maps a row to a transaction and a label 7 days later', () => {
    expect(parseHandbookDatetime('2018-04-01 07:00:00')).toBe(Date.UTC(2018, 3, 1, 7));
    expect(parseHandbookDatetime('2018-04-01T07')).toBeNaN();
    const [row] = fixtureRows();
    const tx = handbookTransactionEvent(row);
    const label = handbookLabelEvent(row);
    expect(tx).toMatchObject({ eventId: '0', entities: { customer: '0', terminal: '0' }, values: { amount: 10 } });
    expect(label).toMatchObject({ eventId: '0:label', time: tx.time + 7 * 86_400_000, ref: { eventId: '0', time: tx.time }, values: { fraud: false } });
  });

  it('computeBatch matches the hand-computed fixture', () => {
    const rows = fixtureRows();
    const events: EngineEvent[] = rows.flatMap((r) => [handbookTransactionEvent(r), handbookLabelEvent(r)]);
    const requests = rows.map(handbookTransactionEvent);
    const result = computeBatch(handbookFeatureSet, events, requests);
    rows.forEach((r, i) => expectRow(result.values.subarray(i * 15, i * 15 + 15), EXPECTED[r.transactionId], r.transactionId));
    const typed: HandbookVector = toFeatureRecord(handbookFeatureSet, result.values.subarray(7 * 15, 8 * 15));
    expect(typed.TERMINAL_ID_RISK_1DAY_WINDOW).toBe(1);
    // RISK with no transactions is the default (0) and flagged missing; counts of nothing are real zeros
    expect(result.missing[10]).toBe(1);
    expect(result.missing[9]).toBe(0);
  });

  it('the streaming HandbookReplay (used by the CLI) gives the same rows in input order', () => {
    const seen: string[] = [];
    const replay = new HandbookReplay((id, row) => {
      seen.push(id);
      expectRow(row.values, EXPECTED[id], id);
    });
    for (const r of fixtureRows()) replay.push(r);
    replay.finish();
    expect(seen).toEqual(Object.keys(EXPECTED).sort((a, b) => +a - +b));
  });

  it('npm run features:batch writes TRANSACTION_ID + the 15 columns with the hand-computed values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'features-batch-'));
    try {
      const out = join(dir, 'out.csv');
      const stdout = execFileSync(process.execPath, ['-r', './tools/node/register.js', 'tools/cli/src/features-batch.ts', '--feature-set', 'handbook', '--raw', FIXTURE, '--out', out], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(stdout).toMatch(/14 rows .* rows\/s/);
      const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
      expect(header).toBe(`TRANSACTION_ID,${handbookFeatureSet.featureNames.join(',')}`);
      expect(lines).toHaveLength(14);
      for (const line of lines) {
        const [id, ...vals] = line.split(',');
        expectRow(vals.map(Number), EXPECTED[id], id);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
