export { RegistryService, STAGE_CHANGED_EVENT, ROLLOUT_STEP_EVENT } from './lib/registry.service';
export type { RegistryServiceOptions } from './lib/registry.service';
export { STAGES, LIVE_STAGES, APPROVAL_REQUIRED, allowedTargets, isLegalTransition, assertTransition, isStage, IllegalTransitionError } from './lib/stage-machine';
export type { Stage, LiveStage, TransitionAction } from './lib/stage-machine';
export { ROLES, HUMAN_ROLES, SERVICE_ROLES, can, authorize, isRole, permissionsOf } from './lib/access.policy';
export type { Role, Principal, Permission } from './lib/access.policy';
export {
  metricsSchema,
  createModelSchema,
  registerVersionSchema,
  transitionSchema,
  promotionRequestSchema,
  approvalSchema,
  executeSchema,
  rollbackSchema,
  aliasSchema,
  freezeSchema,
  rolloutStepSchema,
  evidenceSchema,
  webhookSchema,
  parseInput,
} from './lib/registry.schemas';
export type { Metrics, RegisterVersionInput } from './lib/registry.schemas';
export { seedDemo, demoMetrics, demoArtifact, DEMO_TOKENS } from './lib/demo-seed';
