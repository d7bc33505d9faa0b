import type * as TfModule from '@tensorflow/tfjs';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type ModelBundle, type ModelComponent, type ModelType } from '../bundle/model-bundle.types';
import { fitIsotonic, fitPlatt, type Calibration } from '../calibration/calibration';
import { assertDataset, splitHoldout, type Dataset, type ProgressCallback } from '../data/dataset.types';
import { DatasetInvalidError } from '../data/ml.errors';
import { Prng } from '../data/prng';
import { averagePrecision, aucRoc } from '../metrics/ranking.metrics';
import { fitStandardScaler, transformDataset, type Preprocessing } from '../preprocessing/standard-scaler';
import { loadScorer } from '../serving/scorer';
import { trainGbdt, type GbdtConfig } from './gbdt.trainer';
import { LOGISTIC_DEFAULTS, MLP_DEFAULTS, trainNetwork, type NetworkTrainConfig } from './network.trainer';

export interface TrainModelInput {
  modelType: ModelType;
  train: Dataset;
  /** Early-stopping slice; carved from train (seeded) when absent. Prefer a later time slice. */
  validation?: Dataset;
  /** Calibration slice, never seen by the model; carved from train when absent. */
  calibration?: Dataset;
  validationFraction?: number;
  calibrationFraction?: number;
  calibrationMethod?: 'platt' | 'isotonic' | 'none';
  featureNames: string[];
  featureSet: { name: string; version: number };
  seed?: number;
  network?: Partial<NetworkTrainConfig>;
  gbdt?: Partial<GbdtConfig>;
  /** Clip standardised features at +-clip (null: no clipping). */
  scalerClip?: number | null;
  /** Blend only: GBDT weight candidates, picked by validation AP. */
  blendWeights?: number[];
  lineage?: ModelBundle['lineage'];
  /** Fixed for byte-reproducible bundles in tests. */
  trainedAt?: Date;
  /** Keep the tfjs model of a network component (for parity checks); the caller must dispose it. */
  keepTfModel?: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface TrainModelResult {
  bundle: ModelBundle;
  tfModel?: TfModule.LayersModel;
  report: { trainRows: number; rowsPerSecond: Record<string, number>; epochsOrTrees: Record<string, number>; seconds: number };
}

/** Trains, calibrates on a held-out slice and packs the versioned bundle the scorer loads. */
export async function trainModel(input: TrainModelInput): Promise<TrainModelResult> {
  const t0 = performance.now();
  const seed = input.seed ?? 42;
  const rng = new Prng(seed);
  assertDataset(input.train, 'train');
  if (input.featureNames.length !== input.train.nFeatures) throw new DatasetInvalidError('featureNames length != nFeatures');
  for (const [name, d] of [['validation', input.validation], ['calibration', input.calibration]] as const) {
    if (!d) continue;
    assertDataset(d, name);
    if (d.nFeatures !== input.train.nFeatures) throw new DatasetInvalidError(`${name} has ${d.nFeatures} features, train has ${input.train.nFeatures}`);
  }
  let train = input.train;
  let calibration = input.calibration;
  let validation = input.validation;
  const splitSeedCal = rng.seed();
  const splitSeedVal = rng.seed();
  const netSeed = rng.seed();
  const gbdtSeed = rng.seed();
  const calMethod = input.calibrationMethod ?? 'platt';
  if (!calibration && calMethod !== 'none') {
    const s = splitHoldout(train, input.calibrationFraction ?? 0.15, splitSeedCal);
    train = s.train;
    calibration = s.holdout;
  }
  if (!validation) {
    const s = splitHoldout(train, input.validationFraction ?? 0.15, splitSeedVal);
    train = s.train;
    validation = s.holdout;
  }

  const wantsNet = input.modelType !== 'gbdt';
  const wantsTrees = input.modelType === 'gbdt' || input.modelType === 'blend';
  const preprocessing: Preprocessing = wantsNet ? fitStandardScaler(train, input.scalerClip ?? 8) : { kind: 'identity' };
  const rowsPerSecond: Record<string, number> = {};
  const epochsOrTrees: Record<string, number> = {};
  const comps: ModelComponent[] = [];
  let tfModel: TfModule.LayersModel | undefined;

  if (wantsNet) {
    const defaults = input.modelType === 'logistic' ? LOGISTIC_DEFAULTS : MLP_DEFAULTS;
    const res = await trainNetwork({
      train: transformDataset(preprocessing, train),
      validation: transformDataset(preprocessing, validation),
      config: { ...defaults, ...input.network, seed: input.network?.seed ?? netSeed },
      onProgress: input.onProgress,
      signal: input.signal,
    });
    rowsPerSecond[input.modelType === 'logistic' ? 'logistic' : 'mlp'] = res.rowsPerSecond;
    epochsOrTrees.epochs = res.epochsRun;
    comps.push({ kind: 'network', blendWeight: 1, network: res.weights });
    if (input.keepTfModel) tfModel = res.model;
    else res.model.dispose();
  }
  if (wantsTrees) {
    const res = await trainGbdt({
      train,
      validation,
      config: { ...input.gbdt, seed: input.gbdt?.seed ?? gbdtSeed },
      onProgress: input.onProgress,
      signal: input.signal,
    });
    rowsPerSecond.gbdt = res.rowsPerSecond;
    epochsOrTrees.trees = res.bestIteration;
    comps.push({ kind: 'gbdt', blendWeight: 1, trees: res.model });
  }

  const base: Omit<ModelBundle, 'components' | 'calibration' | 'metricsSummary'> = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    modelType: input.modelType,
    featureSet: input.featureSet,
    featureNames: input.featureNames,
    preprocessing,
    trainedAt: (input.trainedAt ?? new Date()).toISOString(),
    seed,
    lineage: input.lineage ?? {},
  };
  const marginsOf = (components: ModelComponent[], d: Dataset) =>
    loadScorer({ ...base, components, calibration: { kind: 'none' }, metricsSummary: {} }).predictMarginBatch(d.X, d.nRows);

  let components = comps;
  const metricsSummary: Record<string, number> = {};
  if (input.modelType === 'blend') {
    // Margins live on different scales; pick the mix by validation AP, then calibrate the blended margin.
    const [net, gb] = comps;
    let bestAp = -1;
    for (const a of input.blendWeights ?? [0, 0.25, 0.5, 0.75, 1]) {
      const cand: ModelComponent[] = [
        { ...net, blendWeight: 1 - a },
        { ...gb, blendWeight: a },
      ];
      const ap = averagePrecision(marginsOf(cand, validation), validation.y);
      if (ap > bestAp) {
        bestAp = ap;
        components = cand;
        metricsSummary.blendGbdtWeight = a;
      }
    }
  }
  const valMargins = marginsOf(components, validation);
  metricsSummary.validationAucRoc = aucRoc(valMargins, validation.y);
  metricsSummary.validationAveragePrecision = averagePrecision(valMargins, validation.y);
  metricsSummary.trainRows = train.nRows;

  let cal: Calibration = { kind: 'none' };
  if (calibration && calMethod !== 'none') {
    const z = marginsOf(components, calibration);
    cal = calMethod === 'platt' ? fitPlatt(z, calibration.y, calibration.weights) : fitIsotonic(z, calibration.y, calibration.weights);
    metricsSummary.calibrationRows = calibration.nRows;
  }
  return {
    bundle: { ...base, components, calibration: cal, metricsSummary },
    tfModel,
    report: { trainRows: train.nRows, rowsPerSecond, epochsOrTrees, seconds: (performance.now() - t0) / 1000 },
  };
}
