import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUES } from '@risk/contract-events';
import type { Logger } from '@risk/util-logging';
import type { RetentionReport, RunRetentionUseCase } from './run-retention.use-case';

/** Job payload: nothing the run depends on travels in the job; the service's config (region, policy) decides. */
export interface RetentionJobData {
  reason?: string;
}

export const RETENTION_JOB_NAME = 'retention-run';
export const RETENTION_SCHEDULER_ID = 'retention-daily';

/** The BullMQ processor: one job = one bounded retention run. Thin on purpose; the use case holds the logic. */
export function createRetentionProcessor(useCase: RunRetentionUseCase, logger?: Logger): (job: Job<RetentionJobData>) => Promise<RetentionReport> {
  return async (job) => {
    logger?.info({ jobId: job.id, reason: job.data?.reason }, 'retention job started');
    return useCase.execute();
  };
}

export interface RetentionWorkerOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix; one per region deployment (each region has its own Redis anyway). */
  prefix?: string;
  logger?: Logger;
}

/** A worker on QUEUES.retention; concurrency 1 so two runs never delete the same batches in parallel. */
export function createRetentionWorker(useCase: RunRetentionUseCase, o: RetentionWorkerOptions): Worker<RetentionJobData, RetentionReport> {
  return new Worker<RetentionJobData, RetentionReport>(QUEUES.retention, createRetentionProcessor(useCase, o.logger), {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: 1,
  });
}

/**
 * Registers (idempotently) the repeating retention job: every replica may call this at boot, BullMQ keeps one
 * scheduler per id. Default: daily at 03:17 UTC, off the checkout peak.
 */
export async function scheduleRetention(queue: Queue<RetentionJobData>, o: { pattern?: string; everyMs?: number } = {}): Promise<void> {
  const repeat = o.everyMs ? { every: o.everyMs } : { pattern: o.pattern ?? '17 3 * * *', tz: 'UTC' };
  await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, repeat, {
    name: RETENTION_JOB_NAME,
    data: { reason: 'scheduled' },
    opts: { removeOnComplete: 50, removeOnFail: 200, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  });
}
