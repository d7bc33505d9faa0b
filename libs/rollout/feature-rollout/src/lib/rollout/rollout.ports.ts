import type { Rollout } from './rollout.types';

export type RegistryStage = 'candidate' | 'shadow' | 'canary' | 'production' | 'archived';
export type PromotionStatus = 'pending' | 'approved' | 'rejected' | 'executed' | 'cancelled';

/** What the rollout needs from the model registry (adapter: @risk/registry-client with the controller's token). */
export interface RolloutRegistryPort {
  stageOf(versionId: string, region: string): Promise<RegistryStage | null>;
  /** Moves a version between stages that need no approval (candidate→shadow, shadow/canary→candidate). */
  transition(versionId: string, region: string, toStage: 'shadow' | 'candidate', reason: string, evidence: Record<string, unknown>): Promise<void>;
  /** Opens a four-eyes request (or returns the open one); a release manager approves it in the registry. */
  requestPromotion(versionId: string, region: string, target: 'canary' | 'production', reason: string, evidence: Record<string, unknown>): Promise<string>;
  promotionStatus(model: string, requestId: string): Promise<PromotionStatus | null>;
  executePromotion(requestId: string, reason: string, evidence: Record<string, unknown>): Promise<void>;
  rollbackProduction(model: string, region: string, reason: string, evidence: Record<string, unknown>): Promise<void>;
  /** Appends to the version's rollout timeline; `trafficPercent` is what the scorer applies to the canary arm. */
  appendStep(versionId: string, step: { region: string; step: string; trafficPercent?: number; status: string; details: Record<string, unknown> }): Promise<void>;
  attachEvidence(versionId: string, kind: string, data: Record<string, unknown>, region?: string): Promise<void>;
}

export interface RolloutEventRecord {
  rolloutId: string;
  type: string;
  actor: string;
  details: Record<string, unknown>;
}

/** Rollout state lives in PostgreSQL so a restarted (or newly elected) controller resumes at the right step. */
export interface RolloutRepository {
  insert(r: Rollout, event: RolloutEventRecord): Promise<void>;
  get(id: string): Promise<Rollout | null>;
  list(filter?: { active?: boolean }): Promise<Rollout[]>;
  /** Writes `r` if its stored rowVersion is still `r.rowVersion`; returns the stored row (version + 1) or null on a lost race. */
  update(r: Rollout, event?: RolloutEventRecord): Promise<Rollout | null>;
  events(rolloutId: string): Promise<(RolloutEventRecord & { seq: number; createdAt: string })[]>;
}

export interface RolloutAlert {
  name: 'rollout.guardrail_breach' | 'rollout.shadow_rejected' | 'rollout.rolled_back';
  rolloutId: string;
  model: string;
  versionId: string;
  regions: string[];
  severity: 'critical' | 'warning';
  summary: string;
  details: Record<string, unknown>;
  at: string;
}

export interface RolloutAlertPort {
  publish(alert: RolloutAlert): Promise<void>;
}

export interface RolloutMetricsPort {
  guardrailBreach(rolloutId: string, guardrail: string): void;
  stepChanged?(rolloutId: string, percent: number): void;
}
