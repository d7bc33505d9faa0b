export {
  retentionTargetSchema,
  retentionPolicySchema,
  DEFAULT_RETENTION_TARGETS,
  parseRegionDays,
  parseRetentionPolicy,
  retentionDaysFor,
} from './lib/retention.policy';
export type { RetentionTarget, RetentionPolicy, RetentionPolicyInput } from './lib/retention.policy';
export { RunRetentionUseCase } from './lib/run-retention.use-case';
export type { SqlExecutor, RetentionDeps, RetentionReport, TargetReport, TargetOutcome } from './lib/run-retention.use-case';
export { createRetentionProcessor, createRetentionWorker, scheduleRetention, RETENTION_JOB_NAME, RETENTION_SCHEDULER_ID } from './lib/retention.processor';
export type { RetentionJobData, RetentionWorkerOptions } from './lib/retention.processor';
export { auditOnlineTtls } from './lib/online-ttl.audit';
export type { TtlAuditRedis, TtlAuditReport } from './lib/online-ttl.audit';
