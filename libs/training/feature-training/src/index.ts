export {
  applyLabelMaturity,
  defaultLabelPolicy,
  fraudSignalFromEvent,
  DEFAULT_SOURCE_WEIGHTS,
  FRAUD_DECLINE_REASONS,
  DAY_MS,
} from './lib/labels/label-maturity';
export type {
  FraudSignal,
  LabelableRow,
  LabelledRow,
  LabelMaturityPolicy,
  LabelMaturityReport,
  LabelSignalSource,
  LabelStatus,
  LabelContractEvent,
} from './lib/labels/label-maturity';
export { dayNumber, isoDate } from './lib/handbook/handbook-frame';
export type { HandbookFrame } from './lib/handbook/handbook-frame';
export {
  handbookSplit,
  foldSpec,
  SINGLE_SPLIT,
  PREQUENTIAL_TEST_STARTS,
  PREQUENTIAL_VALIDATION_STARTS,
} from './lib/handbook/handbook-protocol';
export type { HandbookSplit, HandbookSplitSpec } from './lib/handbook/handbook-protocol';
export {
  HandbookFeaturizer,
  featurizeHandbookCsv,
  frameCacheKey,
  readFrameCache,
  writeFrameCache,
  HANDBOOK_FEATURE_SET,
} from './lib/handbook/handbook-features';
export { runHandbookBenchmark, DEFAULT_BENCHMARK_MODELS } from './lib/handbook/handbook-benchmark';
export type {
  BenchmarkModelSpec,
  BenchmarkPrediction,
  BenchmarkProgress,
  FoldResult,
  HandbookBenchmarkOptions,
  HandbookBenchmarkResult,
  HandbookMetrics,
  HandbookProtocol,
  ModelBenchmarkResult,
  ModelHyperparameters,
} from './lib/handbook/handbook-benchmark';
export { PUBLISHED_HANDBOOK_RESULTS } from './lib/handbook/published-results';
export { HandbookCsvDataSource, HandbookRowsDataSource, HANDBOOK_LABEL_ARRIVAL_MS } from './lib/data/handbook.data-source';
export type { TrainingData, TrainingDataSource, LoadOptions } from './lib/data/training-data.types';
export { MarketplaceEventsDataSource, readRiskEventsJsonl } from './lib/data/marketplace.data-source';
export { ServedFeatureLogDataSource } from './lib/data/served-feature-log.data-source';
export type { ServedFeatureLogSourceOptions } from './lib/data/served-feature-log.data-source';
export { runTrainingJob, evaluateScorer } from './lib/job/run-training-job';
export type {
  TrainingJobCommand,
  TrainingJobDeps,
  TrainingJobProgress,
  TrainingJobResult,
  EvaluationMetrics,
  ModelRegistration,
  ModelRegistryPort,
  RegisteredModel,
} from './lib/job/training-job.types';
export {
  trainingJobRequestSchema,
  dataSourceSpecSchema,
  parseTrainingJobRequest,
  toTrainingJobCommand,
  createDataSource,
} from './lib/job/training-job.schema';
export type { TrainingJobRequest, DataSourceSpec, DataSourceContext } from './lib/job/training-job.schema';
export { RegistryClientModelRegistry } from './lib/job/registry-client.model-registry';
export type { RegistryAdapterOptions } from './lib/job/registry-client.model-registry';
