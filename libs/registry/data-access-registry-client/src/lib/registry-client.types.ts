/** Wire types of the registry API (kept here so consumers need no server code). */
export type Stage = 'candidate' | 'shadow' | 'canary' | 'production' | 'archived';
export type RegistryRegion = string;

export interface CurvePoint {
  x: number;
  y: number;
  threshold?: number;
}

export interface VersionMetrics {
  summary: Record<string, number>;
  roc?: CurvePoint[];
  pr?: CurvePoint[];
  segments?: { name: string; values: Record<string, number> }[];
}

export interface Lineage {
  trainingJobId: string;
  dataWindowStart: string;
  dataWindowEnd: string;
  featureSetName: string;
  featureSetVersion: string;
  codeCommit: string;
}

export interface RegisterVersionInput {
  metrics: VersionMetrics;
  lineage: Lineage;
  policyVersion: string;
  description?: string;
}

export interface ModelVersionDto {
  id: string;
  modelId: string;
  modelName?: string;
  version: number;
  description: string;
  artifact: { sha256: string; sizeBytes: number; status: 'pending' | 'verified'; uri: string | null };
  metrics: VersionMetrics;
  lineage: Lineage;
  policyVersion: string;
  createdBy: string;
  createdAt: string;
  stages: Record<string, { stage: Stage; rowVersion: number; since: string }>;
}

export interface DeploymentSlot {
  versionId: string;
  version: number;
  artifactSha256: string;
  policyVersion: string;
  since?: string;
}

export interface RegionDeployment {
  model: string;
  modelId: string;
  region: string;
  production: DeploymentSlot | null;
  canary: DeploymentSlot | null;
  shadow: DeploymentSlot | null;
}

export interface PromotionRequestDto {
  id: string;
  versionId: string;
  region: string;
  targetStage: 'canary' | 'production';
  status: 'pending' | 'approved' | 'rejected' | 'executed' | 'cancelled';
  requestedBy: string;
  approvedBy: string | null;
  baseVersionId: string | null;
}

export interface PromotionResult {
  requestId: string;
  versionId: string;
  version: number;
  region: string;
  from: Stage;
  to: Stage;
  replacedVersionId: string | null;
}

export interface RollbackResult {
  region: string;
  rolledBackVersionId: string;
  rolledBackVersion: number;
  restoredVersionId: string;
  restoredVersion: number;
}

export interface RolloutStepInput {
  region: string;
  step: string;
  trafficPercent?: number;
  status: string;
  details?: Record<string, unknown>;
}

export interface RolloutStepDto extends Required<Omit<RolloutStepInput, 'trafficPercent'>> {
  id: string;
  seq: number;
  versionId: string;
  modelId: string;
  trafficPercent: number | null;
  actor: string;
  createdAt: string;
}

export interface StageChangedEvent {
  seq: number;
  id: string;
  type: 'registry.stage-changed' | 'registry.rollout-step';
  at: string;
  modelId: string;
  modelName: string;
  versionId: string;
  version: number;
  region: string;
  fromStage?: Stage;
  toStage?: Stage;
  action?: string;
  artifactSha256?: string;
}

export interface LiveAtResult {
  region: string;
  at: string;
  live: { model: string; modelId: string; stage: Stage; versionId: string; version: number; since: string; by: string; reason: string }[];
}
