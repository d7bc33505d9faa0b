import { Prng } from '../data/prng';
import { aucRoc } from '../metrics/ranking.metrics';
import { compileGbdt } from '../serving/gbdt-evaluator';
import { trainGbdt } from './gbdt.trainer';

function ruleData(n: number, seed: number) {
  const rng = new Prng(seed);
  const X = new Float32Array(n * 3);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    X[r * 3] = rng.next();
    X[r * 3 + 1] = 7; // constant: must never be split on
    X[r * 3 + 2] = rng.next();
    y[r] = X[r * 3] > 0.3 && X[r * 3 + 2] < 0.8 ? 1 : 0;
  }
  return { X, y, nRows: n, nFeatures: 3 };
}

describe('trainGbdt', () => {
  it('learns an axis-aligned rule and never splits a constant feature', async () => {
    const res = await trainGbdt({ train: ruleData(3000, 1), config: { nTrees: 40, maxDepth: 3, seed: 1 } });
    const f = compileGbdt(res.model);
    const test = ruleData(2000, 2);
    const s = Array.from({ length: test.nRows }, (_, i) => f(test.X, i * 3));
    expect(aucRoc(s, test.y)).toBeGreaterThan(0.995);
    const used = new Set(Array.from(res.model.feature).filter((v) => v >= 0));
    expect(used.has(1)).toBe(false);
    expect(res.treesBuilt).toBe(40);
  });

  it('sends NaN to the right branch and stops early on a validation slice', async () => {
    const res = await trainGbdt({ train: ruleData(2000, 3), validation: ruleData(500, 4), config: { nTrees: 400, maxDepth: 3, earlyStoppingRounds: 5, seed: 2 } });
    expect(res.bestIteration).toBeLessThanOrEqual(res.treesBuilt);
    expect(res.treesBuilt).toBeLessThan(400);
    expect(res.model.treeRoots.length).toBe(res.bestIteration);
    const f = compileGbdt(res.model);
    expect(Number.isFinite(f(Float32Array.from([Number.NaN, 7, Number.NaN])))).toBe(true);
  });

  it('rejects more than 256 bins', async () => {
    await expect(trainGbdt({ train: ruleData(10, 1), config: { maxBins: 1000 } })).rejects.toThrow(RangeError);
  });
});
