import type * as TfModule from '@tensorflow/tfjs';
import { getTf, initBackend } from '../backend/tf-backend';
import { bundleSha256, parseBundle, serializeBundle } from '../bundle/model-bundle';
import { TrainingAbortedError } from '../data/ml.errors';
import { Prng } from '../data/prng';
import { makeSyntheticFraudData } from '../data/synthetic-data';
import type { TrainingProgress } from '../data/dataset.types';
import { expectedCalibrationError } from '../metrics/calibration.metrics';
import { aucRoc, averagePrecision } from '../metrics/ranking.metrics';
import { compilePreprocessing } from '../preprocessing/standard-scaler';
import { compileDenseForward, sigmoid } from '../serving/dense-forward';
import { loadScorer } from '../serving/scorer';
import { trainModel, type TrainModelInput, type TrainModelResult } from './train-model';

// One file for everything that needs tfjs, so the wasm backend initialises once.
jest.setTimeout(60_000);

const NF = 8;
const names = Array.from({ length: NF }, (_, i) => `f${i}`);
const train = makeSyntheticFraudData(8000, NF, 101);
const test = makeSyntheticFraudData(6000, NF, 202);
const base: Omit<TrainModelInput, 'modelType'> = {
  train,
  featureNames: names,
  featureSet: { name: 'synthetic', version: 1 },
  seed: 9,
  trainedAt: new Date('2026-01-01T00:00:00Z'),
  network: { epochs: 15 },
  gbdt: { nTrees: 120, maxDepth: 5 },
};

function scores(r: TrainModelResult) {
  return loadScorer(r.bundle).predictBatch(test.X, test.nRows);
}

describe('trainModel (tfjs + GBDT)', () => {
  let lr: TrainModelResult;
  let mlp: TrainModelResult;
  let gbdt: TrainModelResult;
  const progress: TrainingProgress[] = [];

  beforeAll(async () => {
    lr = await trainModel({ ...base, modelType: 'logistic', keepTfModel: true });
    mlp = await trainModel({ ...base, modelType: 'mlp', keepTfModel: true, network: { epochs: 15, hiddenUnits: [32, 16] }, onProgress: (p) => progress.push(p) });
    gbdt = await trainModel({ ...base, modelType: 'gbdt' });
  });

  afterAll(() => {
    lr?.tfModel?.dispose();
    mlp?.tfModel?.dispose();
  });

  it('selects the wasm backend (tfjs-node is not installed) and is idempotent', async () => {
    const a = await initBackend();
    expect(await initBackend()).toBe(a);
    expect(a).toBe('wasm');
    expect(getTf().getBackend()).toBe('wasm');
  });

  it('MLP and GBDT beat logistic regression on held-out data', () => {
    const [sl, sm, sg] = [scores(lr), scores(mlp), scores(gbdt)];
    const auc = { lr: aucRoc(sl, test.y), mlp: aucRoc(sm, test.y), gbdt: aucRoc(sg, test.y) };
    const ap = { lr: averagePrecision(sl, test.y), mlp: averagePrecision(sm, test.y), gbdt: averagePrecision(sg, test.y) };
    // On this data LR sits near AUC 0.70 / AP 0.20 and the nonlinear models near 0.80+ / 0.30+.
    expect(auc.mlp).toBeGreaterThan(auc.lr + 0.05);
    expect(auc.gbdt).toBeGreaterThan(auc.lr + 0.05);
    expect(ap.mlp).toBeGreaterThan(ap.lr + 0.04);
    expect(ap.gbdt).toBeGreaterThan(ap.lr + 0.04);
  });

  it('reports progress with throughput', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.phase === 'mlp' && p.rowsPerSecond > 0 && p.validationLoss !== undefined)).toBe(true);
    expect(mlp.report.rowsPerSecond.mlp).toBeGreaterThan(0);
  });

  it('compiled forward pass matches tfjs predict within 1e-6 on random inputs', () => {
    const tf = getTf();
    const rng = new Prng(5);
    const n = 2000;
    const X = new Float32Array(n * NF);
    for (let i = 0; i < X.length; i++) X[i] = rng.normal() * 2;
    for (const r of [lr, mlp]) {
      const comp = r.bundle.components[0];
      if (comp.kind !== 'network' || !r.tfModel) throw new Error('expected a network');
      const forward = compileDenseForward(comp.network);
      const tfOut = tf.tidy(() => (r.tfModel as TfModule.LayersModel).predict(tf.tensor2d(X, [n, NF])) as TfModule.Tensor).dataSync();
      let maxDiff = 0;
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(sigmoid(forward(X, i * NF)) - tfOut[i]));
      expect(maxDiff).toBeLessThanOrEqual(1e-6);
    }
  });

  it('train -> serialize -> parse -> score is bit-identical and within 1e-6 of tfjs + calibration', () => {
    const tf = getTf();
    for (const r of [lr, mlp, gbdt]) {
      const buf = serializeBundle(r.bundle);
      const parsed = parseBundle(buf, bundleSha256(buf));
      const inMemory = scores(r);
      const loaded = loadScorer(parsed).predictBatch(test.X, test.nRows);
      expect(Array.from(loaded)).toEqual(Array.from(inMemory));
      if (r.tfModel) {
        // Independent path: tfjs on the scaled rows, then the bundle's Platt calibration on the logit.
        const pre = compilePreprocessing(r.bundle.preprocessing, NF);
        const scaled = new Float32Array(test.X.length);
        const row = new Float32Array(NF);
        for (let i = 0; i < test.nRows; i++) {
          pre(test.X, row, i * NF);
          scaled.set(row, i * NF);
        }
        const p = tf.tidy(() => (r.tfModel as TfModule.LayersModel).predict(tf.tensor2d(scaled, [test.nRows, NF])) as TfModule.Tensor).dataSync();
        const cal = r.bundle.calibration;
        if (cal.kind !== 'platt') throw new Error('expected platt');
        let maxDiff = 0;
        for (let i = 0; i < test.nRows; i++) {
          const logit = Math.log(p[i] / (1 - p[i]));
          maxDiff = Math.max(maxDiff, Math.abs(sigmoid(cal.a * logit + cal.b) - loaded[i]));
        }
        expect(maxDiff).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('calibration lowers ECE versus the raw class-weighted network output', () => {
    const s = loadScorer({ ...mlp.bundle, calibration: { kind: 'none' } }).predictBatch(test.X, test.nRows);
    const raw = expectedCalibrationError(s, test.y, 10).ece;
    const calibrated = expectedCalibrationError(scores(mlp), test.y, 10).ece;
    expect(calibrated).toBeLessThan(raw / 2);
  });

  it('is reproducible by seed: same seed gives identical bytes, another seed differs', async () => {
    const small: Omit<TrainModelInput, 'modelType'> = { ...base, network: { epochs: 2, hiddenUnits: [16, 8] }, gbdt: { nTrees: 15, maxDepth: 4 } };
    for (const modelType of ['mlp', 'gbdt'] as const) {
      const a = serializeBundle((await trainModel({ ...small, modelType })).bundle);
      const b = serializeBundle((await trainModel({ ...small, modelType })).bundle);
      const c = serializeBundle((await trainModel({ ...small, modelType, seed: 10 })).bundle);
      expect(bundleSha256(b)).toBe(bundleSha256(a));
      expect(bundleSha256(c)).not.toBe(bundleSha256(a));
    }
  });

  it('is cancellable through an AbortSignal', async () => {
    for (const modelType of ['mlp', 'gbdt'] as const) {
      const ac = new AbortController();
      const run = trainModel({ ...base, modelType, signal: ac.signal, network: { epochs: 50 }, gbdt: { nTrees: 500 } });
      setTimeout(() => ac.abort(), 50);
      await expect(run).rejects.toBeInstanceOf(TrainingAbortedError);
    }
  });

  it('blend picks the GBDT/MLP mix with the best validation AP and round-trips', async () => {
    const validation = makeSyntheticFraudData(2000, NF, 303);
    const r = await trainModel({ ...base, modelType: 'blend', validation, network: { epochs: 3, hiddenUnits: [16, 8] }, gbdt: { nTrees: 30, maxDepth: 4 } });
    expect(r.bundle.components.map((c) => c.kind)).toEqual(['network', 'gbdt']);
    const a = r.bundle.metricsSummary.blendGbdtWeight;
    expect([0, 0.25, 0.5, 0.75, 1]).toContain(a);
    const apWith = (w: number) => {
      const [net, gb] = r.bundle.components;
      const s = loadScorer({ ...r.bundle, components: [{ ...net, blendWeight: 1 - w }, { ...gb, blendWeight: w }] }).predictMarginBatch(validation.X, validation.nRows);
      return averagePrecision(s, validation.y);
    };
    expect(r.bundle.metricsSummary.validationAveragePrecision).toBeCloseTo(apWith(a), 12);
    expect(apWith(a)).toBeGreaterThanOrEqual(Math.max(apWith(0), apWith(1)));
    const buf = serializeBundle(r.bundle);
    expect(Array.from(loadScorer(parseBundle(buf)).predictBatch(test.X, test.nRows))).toEqual(Array.from(scores(r)));
  });
});
