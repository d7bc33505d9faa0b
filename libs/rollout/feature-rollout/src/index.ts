export { SCORE_BINS, LATENCY_BUCKETS, emptyScoreHistogram, addScore, psi, ks, emptyLatencyHistogram, addLatency, latencyQuantile, mergeInto } from './lib/stats/distribution';
export { sequentialProportionTest } from './lib/stats/sequential-test';
export type { ProportionCounts, SequentialTestOptions, SequentialTestResult } from './lib/stats/sequential-test';
export { emptyCounts, emptyCanaryWindow, emptyShadowWindow, recordDecision, recordAuthorisation, recordShadow } from './lib/analysis/decision-window';
export type { Arm, RateCounts, ArmWindow, CanaryWindow, ShadowWindow } from './lib/analysis/decision-window';
export { guardrailConfigSchema, shadowGateSchema } from './lib/analysis/guardrails.config';
export type { GuardrailConfig, GuardrailConfigInput, ShadowGate } from './lib/analysis/guardrails.config';
export { GUARDRAILS, analyseCanary } from './lib/analysis/canary-analysis';
export type { Guardrail, GuardrailResult, Verdict, CanaryAnalysis } from './lib/analysis/canary-analysis';
export { compareShadow } from './lib/analysis/shadow-comparison';
export type { ShadowComparison } from './lib/analysis/shadow-comparison';
export { rolloutSubjectSchema, startRolloutSchema, ROLLOUT_STATUSES, TERMINAL_STATUSES, currentPercent } from './lib/rollout/rollout.types';
export type { RolloutSubject, StartRolloutInput, StartRolloutCommand, RolloutStatus, RolloutRequests, Rollout } from './lib/rollout/rollout.types';
export type {
  RegistryStage,
  PromotionStatus,
  RolloutRegistryPort,
  RolloutEventRecord,
  RolloutRepository,
  RolloutAlert,
  RolloutAlertPort,
  RolloutMetricsPort,
} from './lib/rollout/rollout.ports';
export { RolloutService } from './lib/rollout/rollout.service';
export type { OperatorCommand, RolloutServiceDeps } from './lib/rollout/rollout.service';
export { maturedLabelReport } from './lib/reports/matured-label.report';
export type { CanaryDecisionRecord, MaturedLabel, ArmOutcome, MaturedLabelReport } from './lib/reports/matured-label.report';
