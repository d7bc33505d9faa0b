import {
  aucRoc,
  averagePrecision,
  brierScore,
  bundleSha256,
  cardPrecisionAtK,
  evaluateCost,
  expectedCalibrationError,
  loadScorer,
  metricsBySegment,
  parseBundle,
  prCurve,
  rocCurve,
  recallAtFpr,
  serializeBundle,
  trainModel,
  TrainingAbortedError,
  type CostMatrix,
  type Dataset,
  type Scorer,
} from '@risk/ml';
import { ValidationError } from '@risk/util-errors';
import type { TrainingData } from '../data/training-data.types';
import { applyLabelMaturity, DAY_MS, DEFAULT_SOURCE_WEIGHTS, type LabelledRow } from '../labels/label-maturity';
import type { EvaluationMetrics, ModelRegistration, TrainingJobCommand, TrainingJobDeps, TrainingJobResult } from './training-job.types';

interface RowRef {
  transactionId: string;
  occurredAt: number;
  i: number;
}

function datasetOf(data: TrainingData, rows: LabelledRow<RowRef>[]): Dataset {
  const w = data.featureNames.length;
  const X = new Float32Array(rows.length * w);
  const y = new Uint8Array(rows.length);
  const weights = new Float32Array(rows.length);
  rows.forEach((r, k) => {
    X.set(data.X.subarray(r.row.i * w, r.row.i * w + w), k * w);
    y[k] = r.y;
    weights[k] = r.weight;
  });
  return { X, y, weights, nRows: rows.length, nFeatures: w };
}

/** Scores a scorer on labelled evaluation rows with every metric the registry shows. */
export function evaluateScorer(
  scorer: Scorer,
  data: TrainingData,
  rows: LabelledRow<RowRef>[],
  opts: { maxFalseDeclineRate: number; costMatrix: CostMatrix },
): EvaluationMetrics {
  const ds = datasetOf(data, rows);
  const prob = scorer.predictBatch(ds.X, ds.nRows);
  const y = ds.y;
  const day = rows.map((r) => Math.floor(r.row.occurredAt / DAY_MS));
  const card = rows.map((r) => data.card[r.row.i]);
  const amount = rows.map((r) => data.amount[r.row.i]);
  let frauds = 0;
  for (let i = 0; i < y.length; i++) frauds += y[i];
  const rec = recallAtFpr(prob, y, opts.maxFalseDeclineRate);
  const cost = evaluateCost({ prob, label: y, amount }, opts.costMatrix);
  return {
    rows: rows.length,
    frauds,
    aucRoc: aucRoc(prob, y),
    averagePrecision: averagePrecision(prob, y),
    cardPrecisionAt100: cardPrecisionAtK({ day, card, score: prob, label: y }, 100).mean,
    recallAtFalseDeclineRate: { maxFalseDeclineRate: opts.maxFalseDeclineRate, recall: rec.recall, falseDeclineRate: rec.fpr, threshold: rec.threshold },
    expectedCost: { realisedCost: cost.realisedCost, allowAllCost: cost.allowAllCost, costPerTransaction: cost.costPerTransaction, actions: cost.actions },
    ece: expectedCalibrationError(prob, y, 10, 'mass').ece,
    brier: brierScore(prob, y),
    bySegment: {
      region: metricsBySegment(rows.map((r) => data.region[r.row.i]), prob, y),
      paymentMethod: metricsBySegment(rows.map((r) => data.paymentMethod[r.row.i]), prob, y),
    },
  };
}

function evaluationCurves(scorer: Scorer, data: TrainingData, rows: LabelledRow<RowRef>[]): ModelRegistration['curves'] {
  const ds = datasetOf(data, rows);
  const prob = scorer.predictBatch(ds.X, ds.nRows);
  const finite = (pts: { x: number; y: number; threshold: number }[]) => pts.map((p) => ({ ...p, threshold: Number.isFinite(p.threshold) ? p.threshold : 1 }));
  return { roc: finite(rocCurve(prob, ds.y, 100)), pr: finite(prCurve(prob, ds.y, 100)) };
}

function check(cmd: TrainingJobCommand): void {
  const issues: { path: string; message: string }[] = [];
  if (!(cmd.trainWindow.from < cmd.trainWindow.to)) issues.push({ path: 'trainWindow', message: 'from must be before to' });
  if (!(cmd.evaluationWindow.from < cmd.evaluationWindow.to)) issues.push({ path: 'evaluationWindow', message: 'from must be before to' });
  if (cmd.evaluationWindow.from < cmd.trainWindow.to) issues.push({ path: 'evaluationWindow.from', message: 'must not overlap the training window' });
  if (issues.length) throw new ValidationError('Invalid training job', issues, 'TRAINING_JOB_INVALID');
}

/**
 * The training job: load rows, label them under maturity, train + calibrate (seeded), evaluate on the later
 * window (and the production model on the same rows), pack the bundle and register it with metrics and lineage.
 */
export async function runTrainingJob(cmd: TrainingJobCommand, deps: TrainingJobDeps): Promise<TrainingJobResult> {
  check(cmd);
  const started = performance.now();
  const now = deps.now ?? (() => new Date());
  const signal = deps.signal;
  const progress = deps.onProgress ?? (() => undefined);
  const abortIfNeeded = () => {
    if (signal?.aborted) throw new TrainingAbortedError();
  };
  const cutoff = cmd.maturityCutoff ?? cmd.evaluationWindow.to;
  abortIfNeeded();

  // 1. Load (features over both windows).
  const loadT0 = performance.now();
  progress({ phase: 'load', percent: 0, rows: 0, rowsPerSecond: 0 });
  const data = await deps.dataSource.load({
    window: { from: cmd.trainWindow.from, to: cmd.evaluationWindow.to },
    signal,
    onRows: (rows) => {
      const s = (performance.now() - loadT0) / 1000;
      progress({ phase: 'load', percent: 5, rows, rowsPerSecond: rows / Math.max(s, 1e-9) });
    },
  });
  const loadSeconds = (performance.now() - loadT0) / 1000;
  abortIfNeeded();

  // 2. Labels under maturity: the training window as of the cut-off; evaluation likewise (only mature rows count).
  const refs: RowRef[] = data.transactionId.map((transactionId, i) => ({ transactionId, occurredAt: data.occurredAt[i], i }));
  const policyBase = {
    maturityCutoff: cutoff,
    chargebackWindowMs: cmd.chargebackWindowDays * DAY_MS,
    sourceWeights: { ...DEFAULT_SOURCE_WEIGHTS, ...cmd.sourceWeights },
  };
  const trainLabels = applyLabelMaturity(refs, data.signals, { ...policyBase, window: cmd.trainWindow, immature: cmd.immature });
  const evalLabels = applyLabelMaturity(refs, data.signals, { ...policyBase, window: cmd.evaluationWindow, immature: 'exclude' });
  const trainRows = trainLabels.rows;
  if (trainRows.length < 50 || !trainRows.some((r) => r.y === 1) || !trainRows.some((r) => r.y === 0)) {
    throw new ValidationError('Not enough mature labelled rows in the training window', [{ path: 'trainWindow', message: `${trainRows.length} rows` }], 'TRAINING_DATA_INSUFFICIENT');
  }
  progress({ phase: 'label', percent: 10, rows: trainRows.length, rowsPerSecond: 0, detail: JSON.stringify(trainLabels.report.counts) });

  // 3. Train + calibrate. The calibration slice is the latest 15% of the training rows (closest to serving time).
  const sorted = [...trainRows].sort((a, b) => a.row.occurredAt - b.row.occurredAt);
  const nCal = Math.max(1, Math.floor(sorted.length * 0.15));
  const fitRows = sorted.slice(0, sorted.length - nCal);
  const calRows = sorted.slice(sorted.length - nCal);
  const trainT0 = performance.now();
  const lineage: Record<string, string | number | boolean | null> = {
    jobKey: cmd.jobKey,
    dataSource: deps.dataSource.description,
    trainWindowFrom: new Date(cmd.trainWindow.from).toISOString(),
    trainWindowTo: new Date(cmd.trainWindow.to).toISOString(),
    evaluationWindowFrom: new Date(cmd.evaluationWindow.from).toISOString(),
    evaluationWindowTo: new Date(cmd.evaluationWindow.to).toISOString(),
    maturityCutoff: new Date(cutoff).toISOString(),
    chargebackWindowDays: cmd.chargebackWindowDays,
    immature: cmd.immature === 'exclude' ? 'exclude' : `provisional@${cmd.immature.provisionalWeight}`,
    featureSet: `${data.featureSet.name}@${data.featureSet.version}`,
    codeCommit: deps.codeCommit,
    seed: cmd.seed,
  };
  let trainedRows = 0;
  const trained = await trainModel({
    modelType: cmd.modelType,
    train: datasetOf(data, fitRows),
    calibration: datasetOf(data, calRows),
    calibrationMethod: cmd.calibration,
    featureNames: data.featureNames,
    featureSet: data.featureSet,
    seed: cmd.seed,
    ...cmd.hyperparameters,
    lineage,
    trainedAt: now(),
    signal,
    onProgress: (p) => {
      trainedRows = p.rowsProcessed;
      progress({
        phase: 'train',
        percent: 10 + Math.min(70, (70 * p.step) / Math.max(1, p.totalSteps)),
        rows: p.rowsProcessed,
        rowsPerSecond: p.rowsPerSecond,
        detail: `${p.phase} ${p.step}/${p.totalSteps}`,
      });
    },
  });
  const trainSeconds = (performance.now() - trainT0) / 1000;
  abortIfNeeded();

  // 4. Evaluate the candidate from its serialized bytes (exactly what the scorer will load), and production.
  progress({ phase: 'evaluate', percent: 85, rows: evalLabels.rows.length, rowsPerSecond: 0 });
  const bytes = serializeBundle(trained.bundle);
  const sha256 = bundleSha256(bytes);
  const evalOpts = { maxFalseDeclineRate: cmd.maxFalseDeclineRate, costMatrix: cmd.costMatrix };
  const evaluation = evaluateScorer(loadScorer(parseBundle(bytes, sha256)), data, evalLabels.rows, evalOpts);
  // Scores of the in-memory model on a few evaluation rows: whoever loads the artifact can check parity.
  const probeRows = evalLabels.rows.slice(0, 32);
  const probeSet = datasetOf(data, probeRows);
  const probeScores = loadScorer(trained.bundle).predictBatch(probeSet.X, probeSet.nRows);
  const w = data.featureNames.length;
  const parityProbe = {
    X: probeRows.map((_, k) => Array.from(probeSet.X.subarray(k * w, k * w + w))),
    scores: Array.from(probeScores),
  };
  let comparison: TrainingJobResult['comparison'];
  const prod = deps.registry ? await deps.registry.productionArtifact(cmd.modelName) : undefined;
  if (prod) {
    const prodBundle = parseBundle(prod.artifact);
    // Only comparable when production reads the same inputs.
    if (prodBundle.featureNames.join(',') === data.featureNames.join(',')) {
      const production = evaluateScorer(loadScorer(prodBundle), data, evalLabels.rows, evalOpts);
      comparison = {
        productionVersion: prod.version,
        production,
        deltaAveragePrecision: evaluation.averagePrecision - production.averagePrecision,
        deltaAucRoc: evaluation.aucRoc - production.aucRoc,
      };
    }
  }
  abortIfNeeded();

  // 5. Artifact + registry.
  progress({ phase: 'register', percent: 95, rows: evalLabels.rows.length, rowsPerSecond: 0 });
  const artifactPath = deps.saveArtifact ? await deps.saveArtifact(cmd.modelName, cmd.jobKey, bytes) : null;
  if (artifactPath) lineage.artifactUri = artifactPath;
  const metrics: Record<string, number> = {
    aucRoc: evaluation.aucRoc,
    averagePrecision: evaluation.averagePrecision,
    cardPrecisionAt100: evaluation.cardPrecisionAt100,
    recallAtFalseDeclineRate: evaluation.recallAtFalseDeclineRate.recall,
    expectedCostPerTransaction: evaluation.expectedCost.costPerTransaction,
    ece: evaluation.ece,
    brier: evaluation.brier,
  };
  const model = deps.registry
    ? await deps.registry.register({
        name: cmd.modelName,
        modelType: cmd.modelType,
        artifact: bytes,
        sha256,
        metrics,
        evaluation,
        comparison: comparison && { productionVersion: comparison.productionVersion, production: comparison.production },
        lineage,
        labels: trainLabels.report,
        curves: evaluationCurves(loadScorer(trained.bundle), data, evalLabels.rows),
        idempotencyKey: cmd.jobKey,
      })
    : null;
  const totalSeconds = (performance.now() - started) / 1000;
  const trainRowsPerSecond = trainedRows > 0 ? trainedRows / trainSeconds : fitRows.length / trainSeconds;
  progress({ phase: 'done', percent: 100, rows: fitRows.length, rowsPerSecond: trainRowsPerSecond });
  return {
    jobKey: cmd.jobKey,
    model,
    artifactPath,
    sha256,
    evaluation,
    comparison,
    labels: trainLabels.report,
    lineage,
    parityProbe,
    timings: { loadSeconds, trainSeconds, totalSeconds, trainRowsPerSecond },
  };
}
