export { RegistryClient, RegistryRequestError, ArtifactIntegrityError } from './lib/registry.client';
export type { RegistryClientOptions } from './lib/registry.client';
export type {
  Stage,
  RegistryRegion,
  CurvePoint,
  VersionMetrics,
  Lineage,
  RegisterVersionInput,
  ModelVersionDto,
  DeploymentSlot,
  RegionDeployment,
  PromotionRequestDto,
  PromotionResult,
  RollbackResult,
  RolloutStepInput,
  RolloutStepDto,
  StageChangedEvent,
  LiveAtResult,
} from './lib/registry-client.types';
