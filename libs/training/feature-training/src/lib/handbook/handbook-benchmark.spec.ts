import { simulateHandbook } from '@risk/simulators';
import { featurizeHandbookRows, simulatedHandbookRows } from '../data/simulated-handbook';
import { handbookSplit } from './handbook-protocol';
import { DEFAULT_BENCHMARK_MODELS, runHandbookBenchmark } from './handbook-benchmark';

// Small simulated world: 42 days from 2018-06-10; train 07-01..07-07, delay 07-08..07-14, test 07-15..07-21.
const ds = simulateHandbook({ customers: 600, terminals: 1200, days: 42, startDate: '2018-06-10', seed: 11 });
const frame = featurizeHandbookRows(simulatedHandbookRows(ds));

describe('handbook protocol on simulated data', () => {
  it('drops test rows of cards with a fraud known by D-8 and keeps train/test apart', () => {
    const split = handbookSplit(frame, { trainStart: '2018-07-01', trainDays: 7, delayDays: 7, testDays: 7 });
    const trainDays = new Set(Array.from(split.train, (i) => frame.day[i]));
    const testDays = new Set(Array.from(split.test, (i) => frame.day[i]));
    expect(trainDays.size).toBe(7);
    expect(testDays.size).toBe(7);
    expect(Math.max(...trainDays) + 8).toBe(Math.min(...testDays));
    expect(split.removedKnownCards).toBeGreaterThan(0);
    // Recompute the rule independently: each card's first fraud day from the training start.
    const t0 = Math.min(...trainDays);
    const firstFraud = new Map<number, number>();
    for (let j = 0; j < frame.n; j++) {
      if (frame.fraud[j] === 1 && frame.day[j] >= t0 && !firstFraud.has(frame.customerId[j])) firstFraud.set(frame.customerId[j], frame.day[j]);
    }
    let removed = 0;
    for (const d of testDays) {
      for (let i = 0; i < frame.n; i++) if (frame.day[i] === d && (firstFraud.get(frame.customerId[i]) ?? Infinity) <= d - 8) removed++;
    }
    expect(removed).toBe(split.removedKnownCards);
    for (const i of split.test) expect(firstFraud.get(frame.customerId[i]) ?? Infinity).toBeGreaterThan(frame.day[i] - 8);
  });

  it('the project model (GBDT) beats the logistic baseline on held-out days', async () => {
    const models = [DEFAULT_BENCHMARK_MODELS[0], { ...DEFAULT_BENCHMARK_MODELS[1], grid: [{ gbdt: { nTrees: 150, maxDepth: 5, learningRate: 0.1, minChildWeight: 3 } }] }];
    const res = await runHandbookBenchmark(frame, { protocol: 'single', models, testStarts: ['2018-07-01'], seed: 3 });
    const lr = res.models['logistic_regression'];
    const gb = res.models['gbdt'];
    expect(lr.folds[0].testFrauds).toBeGreaterThan(100);
    expect(lr.aucRoc).toBeGreaterThan(0.7);
    expect(gb.averagePrecision).toBeGreaterThan(lr.averagePrecision + 0.03);
    expect(gb.aucRoc).toBeGreaterThan(lr.aucRoc);
    expect(res.predictions).toHaveLength(lr.folds[0].testRows * 2);
  }, 60_000);
});
