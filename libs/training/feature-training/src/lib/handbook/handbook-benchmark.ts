import {
  aucRoc,
  averagePrecision,
  cardPrecisionAtK,
  loadScorer,
  trainModel,
  type Dataset,
  type ModelType,
  type TrainModelInput,
  type TrainingProgress,
} from '@risk/ml';
import type { HandbookFrame } from './handbook-frame';
import { isoDate } from './handbook-frame';
import {
  foldSpec,
  handbookSplit,
  PREQUENTIAL_TEST_STARTS,
  PREQUENTIAL_VALIDATION_STARTS,
  SINGLE_SPLIT,
  type HandbookSplit,
  type HandbookSplitSpec,
} from './handbook-protocol';

export type HandbookProtocol = 'single' | 'prequential';

export type ModelHyperparameters = Pick<TrainModelInput, 'network' | 'gbdt' | 'blendWeights' | 'scalerClip'>;

export interface BenchmarkModelSpec {
  name: string;
  modelType: ModelType;
  /** Candidates for the prequential validation folds; the single split uses the first. */
  grid: ModelHyperparameters[];
}

export interface HandbookMetrics {
  aucRoc: number;
  averagePrecision: number;
  cardPrecisionAt100: number;
}

export interface FoldResult extends HandbookMetrics {
  fold: number;
  trainStart: string;
  trainRows: number;
  testRows: number;
  testFrauds: number;
  removedKnownCards: number;
  seconds: number;
}

export interface ModelBenchmarkResult extends HandbookMetrics {
  folds: FoldResult[];
  chosen: ModelHyperparameters;
  /** Mean validation metrics of every candidate (prequential only). */
  selection?: { candidate: ModelHyperparameters; validation: HandbookMetrics }[];
  trainRowsPerSecond: number;
}

export interface BenchmarkPrediction {
  transactionId: number;
  model: string;
  fold: number;
  score: number;
}

export interface HandbookBenchmarkResult {
  protocol: HandbookProtocol;
  models: Record<string, ModelBenchmarkResult>;
  predictions: BenchmarkPrediction[];
}

export interface BenchmarkProgress {
  model: string;
  stage: 'validation' | 'test';
  fold: number;
  candidate: number;
  training?: TrainingProgress;
}

export interface HandbookBenchmarkOptions {
  protocol: HandbookProtocol;
  models: readonly BenchmarkModelSpec[];
  seed?: number;
  /** Overrides the protocol's fold starts (tests run on shorter simulated ranges). */
  testStarts?: readonly string[];
  validationStarts?: readonly string[];
  onProgress?: (p: BenchmarkProgress) => void;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

/** The handbook's LR, and the project's candidates; the grid is searched on the validation folds. */
export const DEFAULT_BENCHMARK_MODELS: readonly BenchmarkModelSpec[] = [
  {
    name: 'logistic_regression',
    modelType: 'logistic',
    // Like the handbook's sklearn baseline: no class re-weighting, light L2, trained to convergence.
    grid: [{ network: { classWeight: 'none', epochs: 60, learningRate: 0.01, batchSize: 1024, l2: 1e-5, patience: 5 } }],
  },
  {
    name: 'gbdt',
    modelType: 'gbdt',
    // 255 bins: the amount tail (scenario 1's > 220 rule sits above the 99.9th percentile) needs fine edges.
    grid: [
      { gbdt: { nTrees: 300, maxDepth: 6, learningRate: 0.05, maxBins: 256, minChildWeight: 5 } },
      { gbdt: { nTrees: 500, maxDepth: 3, learningRate: 0.1, maxBins: 256, minChildWeight: 1, earlyStoppingRounds: 60 } },
      { gbdt: { nTrees: 400, maxDepth: 8, learningRate: 0.03, maxBins: 256, minChildWeight: 10, lambda: 3, earlyStoppingRounds: 60 } },
    ],
  },
  {
    name: 'blend_mlp_gbdt',
    modelType: 'blend',
    // The mix weight is picked on the held-out slice of each training week.
    grid: [{ gbdt: { nTrees: 300, maxDepth: 6, learningRate: 0.05, maxBins: 256, minChildWeight: 5 } }],
  },
];

function toDataset(frame: HandbookFrame, rows: Int32Array): Dataset {
  const f = frame.featureNames.length;
  const X = new Float32Array(rows.length * f);
  const y = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    X.set(frame.X.subarray(r * f, r * f + f), i * f);
    y[i] = frame.fraud[r];
  }
  return { X, y, nRows: rows.length, nFeatures: f };
}

function metricsOn(frame: HandbookFrame, rows: Int32Array, scores: Float64Array): HandbookMetrics {
  const y = new Uint8Array(rows.length);
  const day = new Int32Array(rows.length);
  const card = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    y[i] = frame.fraud[rows[i]];
    day[i] = frame.day[rows[i]];
    card[i] = frame.customerId[rows[i]];
  }
  return {
    aucRoc: aucRoc(scores, y),
    averagePrecision: averagePrecision(scores, y),
    cardPrecisionAt100: cardPrecisionAtK({ day, card, score: scores, label: y }, 100).mean,
  };
}

const mean = (xs: HandbookMetrics[]): HandbookMetrics => ({
  aucRoc: xs.reduce((s, m) => s + m.aucRoc, 0) / xs.length,
  averagePrecision: xs.reduce((s, m) => s + m.averagePrecision, 0) / xs.length,
  cardPrecisionAt100: xs.reduce((s, m) => s + m.cardPrecisionAt100, 0) / xs.length,
});

interface FoldRun {
  metrics: FoldResult;
  scores: Float64Array;
  split: HandbookSplit;
  rowsPerSecond: number;
}

async function runFold(
  frame: HandbookFrame,
  spec: HandbookSplitSpec,
  model: BenchmarkModelSpec,
  hp: ModelHyperparameters,
  fold: number,
  seed: number,
  onTraining: ((p: TrainingProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<FoldRun> {
  const t0 = performance.now();
  const split = handbookSplit(frame, spec);
  const train = toDataset(frame, split.train);
  const test = toDataset(frame, split.test);
  const res = await trainModel({
    modelType: model.modelType,
    train,
    // Ranking metrics only: no calibration slice is taken from the 7 training days.
    calibrationMethod: 'none',
    validationFraction: 0.15,
    featureNames: [...frame.featureNames],
    featureSet: { name: 'handbook', version: 1 },
    seed,
    ...hp,
    onProgress: onTraining,
    signal,
  });
  const scores = loadScorer(res.bundle).predictBatch(test.X, test.nRows);
  const m = metricsOn(frame, split.test, scores);
  const rates = Object.values(res.report.rowsPerSecond);
  let testFrauds = 0;
  for (let i = 0; i < test.nRows; i++) testFrauds += test.y[i];
  return {
    split,
    scores,
    rowsPerSecond: rates.length ? Math.min(...rates) : 0,
    metrics: {
      fold,
      trainStart: spec.trainStart,
      trainRows: train.nRows,
      testRows: test.nRows,
      testFrauds,
      removedKnownCards: split.removedKnownCards,
      seconds: (performance.now() - t0) / 1000,
      ...m,
    },
  };
}

/**
 * Runs the handbook protocol on a featured frame: the single split (first grid entry), or prequential with the
 * grid searched on the validation folds (by mean AP, then AUC) and the chosen candidate scored on the test folds.
 */
export async function runHandbookBenchmark(frame: HandbookFrame, opts: HandbookBenchmarkOptions): Promise<HandbookBenchmarkResult> {
  const seed = opts.seed ?? 42;
  const log = opts.onLog ?? (() => undefined);
  const testStarts = opts.protocol === 'single' ? [opts.testStarts?.[0] ?? SINGLE_SPLIT.trainStart] : [...(opts.testStarts ?? PREQUENTIAL_TEST_STARTS)];
  const validationStarts = [...(opts.validationStarts ?? PREQUENTIAL_VALIDATION_STARTS)];
  const models: Record<string, ModelBenchmarkResult> = {};
  const predictions: BenchmarkPrediction[] = [];
  for (const model of opts.models) {
    let chosen = model.grid[0];
    let selection: ModelBenchmarkResult['selection'];
    if (opts.protocol === 'prequential' && model.grid.length > 1) {
      selection = [];
      for (let c = 0; c < model.grid.length; c++) {
        const folds: HandbookMetrics[] = [];
        for (let f = 0; f < validationStarts.length; f++) {
          const run = await runFold(frame, foldSpec(validationStarts[f]), model, model.grid[c], f, seed, (p) =>
            opts.onProgress?.({ model: model.name, stage: 'validation', fold: f, candidate: c, training: p }),
          opts.signal);
          folds.push(run.metrics);
        }
        const v = mean(folds);
        selection.push({ candidate: model.grid[c], validation: v });
        log(`${model.name} candidate ${c}: validation AUC ${v.aucRoc.toFixed(3)} AP ${v.averagePrecision.toFixed(3)} CP@100 ${v.cardPrecisionAt100.toFixed(3)}`);
      }
      const best = selection.reduce((a, b) => (b.validation.averagePrecision > a.validation.averagePrecision ? b : a));
      chosen = best.candidate;
    }
    const folds: FoldResult[] = [];
    const rates: number[] = [];
    for (let f = 0; f < testStarts.length; f++) {
      const spec = opts.protocol === 'single' ? { ...SINGLE_SPLIT, trainStart: testStarts[0] } : foldSpec(testStarts[f]);
      const run = await runFold(frame, spec, model, chosen, f, seed, (p) =>
        opts.onProgress?.({ model: model.name, stage: 'test', fold: f, candidate: -1, training: p }),
      opts.signal);
      folds.push(run.metrics);
      rates.push(run.rowsPerSecond);
      for (let i = 0; i < run.split.test.length; i++) {
        predictions.push({ transactionId: frame.transactionId[run.split.test[i]], model: model.name, fold: f, score: run.scores[i] });
      }
      const m = run.metrics;
      log(
        `${model.name} fold ${f} (train from ${spec.trainStart}, test from ${isoDate(dayOf(spec.trainStart) + 14)}): ` +
          `AUC ${m.aucRoc.toFixed(3)} AP ${m.averagePrecision.toFixed(3)} CP@100 ${m.cardPrecisionAt100.toFixed(3)} ` +
          `(${m.trainRows} train rows, ${m.testRows} test rows, ${m.removedKnownCards} known-card rows removed, ${m.seconds.toFixed(1)} s)`,
      );
    }
    models[model.name] = { ...mean(folds), folds, chosen, selection, trainRowsPerSecond: rates.reduce((a, b) => a + b, 0) / rates.length };
  }
  return { protocol: opts.protocol, models, predictions };
}

const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
