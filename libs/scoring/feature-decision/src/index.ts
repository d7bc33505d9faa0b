export { FeatureTimeoutError } from './lib/decision.ports';
export type {
  FeatureValues,
  FeatureReadResult,
  FeatureProvider,
  ModelScorer,
  ModelRef,
  ModelAssignment,
  ModelSource,
  ModelLoader,
  DecisionPublisher,
  PiiKind,
  Tokenizer,
  EdgeRequest,
} from './lib/decision.ports';
export { tokenizeAtEdge, subjectOf } from './lib/edge/edge-tokenize';
export { REQUEST_FEATURE_NAMES, requestFeatures, encodeRow } from './lib/model/request-features';
export {
  logisticModelSchema,
  logisticScorer,
  encodeLogisticBundle,
  sha256Hex,
} from './lib/model/logistic-model';
export type { LogisticModelSpec } from './lib/model/logistic-model';
export { mlModelLoader } from './lib/model/ml-model.loader';
export { linearMlBundle } from './lib/model/ml-bundle.fixture';
export { stableBucket, inCanary } from './lib/model/canary-split';
export { ModelManager } from './lib/model/model-manager';
export type { LoadedModel, ModelSet, ModelHealth, ModelManagerOptions } from './lib/model/model-manager';
export { policyConfigSchema, parsePolicyConfig } from './lib/policy/policy.schema';
export type { PolicyConfig, PolicyConfigInput, HardRule, VelocityLimit, RuleCondition } from './lib/policy/policy.schema';
export { DEFAULT_POLICY } from './lib/policy/default-policy';
export { PolicyEngine } from './lib/policy/policy.engine';
export type { PolicyOutcome } from './lib/policy/policy.engine';
export { RateWindow } from './lib/policy/rate-guardrail';
export { Triage } from './lib/triage/triage';
export type { TriageOutcome } from './lib/triage/triage';
export { VelocityCounter } from './lib/triage/velocity-counter';
export { withDeadline } from './lib/pipeline/deadline';
export type { DeadlineResult } from './lib/pipeline/deadline';
export { AdaptiveLimiter } from './lib/pipeline/adaptive-limiter';
export type { AdaptiveLimiterOptions } from './lib/pipeline/adaptive-limiter';
export { DecisionPipeline } from './lib/pipeline/decision.pipeline';
export type { PipelineBudgets, PipelineDeps } from './lib/pipeline/decision.pipeline';
