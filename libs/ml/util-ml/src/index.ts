export { initBackend, getTf } from './lib/backend/tf-backend';
export type { BackendName, Tf } from './lib/backend/tf-backend';

export { Prng, shuffledIndices } from './lib/data/prng';
export { makeSyntheticFraudData } from './lib/data/synthetic-data';
export { assertDataset, takeRows, splitHoldout, balancedClassWeights } from './lib/data/dataset.types';
export type { Dataset, TrainingProgress, ProgressCallback } from './lib/data/dataset.types';
export {
  ML_ERROR_CODES,
  ModelChecksumMismatchError,
  ModelBundleInvalidError,
  DatasetInvalidError,
  TrainingAbortedError,
  ModelFeatureMismatchError,
} from './lib/data/ml.errors';

export { fitStandardScaler, compilePreprocessing, transformDataset } from './lib/preprocessing/standard-scaler';
export type { Preprocessing, StandardScalerParams, IdentityPreprocessing } from './lib/preprocessing/standard-scaler';

export { trainNetwork, extractNetworkWeights, LOGISTIC_DEFAULTS, MLP_DEFAULTS } from './lib/models/network.trainer';
export type { NetworkTrainConfig, NetworkTrainInput, NetworkTrainResult } from './lib/models/network.trainer';
export type { NetworkWeights, DenseLayerWeights, DenseActivation } from './lib/models/network.types';
export { trainGbdt, GBDT_DEFAULTS } from './lib/models/gbdt.trainer';
export type { GbdtConfig, GbdtTrainInput, GbdtTrainResult } from './lib/models/gbdt.trainer';
export type { GbdtModel } from './lib/models/gbdt.types';
export { trainModel } from './lib/models/train-model';
export type { TrainModelInput, TrainModelResult } from './lib/models/train-model';

export { fitPlatt, fitIsotonic, compileCalibration } from './lib/calibration/calibration';
export type { Calibration } from './lib/calibration/calibration';

export { compileDenseForward, sigmoid } from './lib/serving/dense-forward';
export { compileGbdt } from './lib/serving/gbdt-evaluator';
export { loadScorer } from './lib/serving/scorer';
export type { Scorer } from './lib/serving/scorer';

export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './lib/bundle/model-bundle.types';
export type { ModelBundle, ModelComponent, ModelType } from './lib/bundle/model-bundle.types';
export { serializeBundle, parseBundle, bundleSha256, assertBundleFeatures } from './lib/bundle/model-bundle';

export { aucRoc, averagePrecision, thresholdCurve, rocCurve, prCurve, recallAtFpr, downsample } from './lib/metrics/ranking.metrics';
export type { CurvePoint } from './lib/metrics/ranking.metrics';
export { cardPrecisionAtK } from './lib/metrics/card-precision.metrics';
export type { CardPrecisionInput, CardPrecisionResult } from './lib/metrics/card-precision.metrics';
export { expectedCalibrationError, brierScore } from './lib/metrics/calibration.metrics';
export type { EceResult } from './lib/metrics/calibration.metrics';
export { actionCosts, cheapestAction, realisedCost, evaluateCost } from './lib/metrics/cost.metrics';
export type { CostAction, CostMatrix, CostEvaluation } from './lib/metrics/cost.metrics';
export { metricsBySegment } from './lib/metrics/segment.metrics';
export type { SegmentMetrics } from './lib/metrics/segment.metrics';
