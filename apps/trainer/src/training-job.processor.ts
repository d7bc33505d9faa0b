import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { Pool } from 'pg';
import { TrainingAbortedError } from '@risk/ml';
import { DomainError } from '@risk/util-errors';
import {
  createDataSource,
  runTrainingJob,
  toTrainingJobCommand,
  type ModelRegistryPort,
  type TrainingJobRequest,
  type TrainingJobResult,
} from '@risk/training';

export interface ProcessorDeps {
  signal: AbortSignal;
  dataDir: string;
  /** Served-feature log, when configured. */
  pool?: Pool;
  codeCommit: string;
  registry?: ModelRegistryPort;
  saveArtifact: (name: string, key: string, bytes: Buffer) => Promise<string>;
}

/** Thin: job data -> command -> use case; progress goes to the job (throttled), cancellation is not retried. */
export async function processTrainingJob(job: Job<TrainingJobRequest, TrainingJobResult>, deps: ProcessorDeps): Promise<TrainingJobResult> {
  let last = 0;
  try {
    return await runTrainingJob(toTrainingJobCommand(job.data), {
      dataSource: createDataSource(job.data.dataSource, deps.dataDir, { pool: deps.pool }),
      registry: deps.registry,
      saveArtifact: deps.saveArtifact,
      codeCommit: deps.codeCommit,
      signal: deps.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 250 && p.phase !== 'done') return;
        last = now;
        void job.updateProgress({ ...p, rowsPerSecond: Math.round(p.rowsPerSecond) }).catch(() => undefined);
      },
    });
  } catch (e) {
    // Cancellation and bad input fail for good; anything else (crash, dependency down) is retried by BullMQ.
    if (e instanceof TrainingAbortedError || deps.signal.aborted) throw new UnrecoverableError('cancelled');
    if (e instanceof DomainError && e.kind === 'invalid') throw new UnrecoverableError(`${e.code}: ${e.message}`);
    throw e;
  }
}
