import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Job, Queue, UnrecoverableError, Worker, type JobState } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { Pool } from 'pg';
import { QUEUES } from '@risk/contract-events';
import type { Logger } from '@risk/util-logging';
import { NotFoundError, ValidationError } from '@risk/util-errors';
import { RegistryClientModelRegistry, type ModelRegistryPort, type TrainingJobRequest, type TrainingJobResult } from '@risk/training';
import type { TrainerConfig } from './trainer.config';
import { processTrainingJob } from './training-job.processor';

export interface TrainingJobView {
  id: string;
  state: JobState | 'unknown' | 'cancelled';
  progress: unknown;
  attemptsMade: number;
  createdAt: string;
  finishedAt: string | null;
  failedReason: string | null;
  result: TrainingJobResult | null;
}

export interface TrainerOverrides {
  registry?: ModelRegistryPort;
}

export const CANCELLED_REASON = 'cancelled';

/** Queue, worker and the cancellation channel; built before Nest, handed to the thin controller. */
export class TrainerRuntime {
  readonly queue: Queue<TrainingJobRequest, TrainingJobResult>;
  private worker?: Worker<TrainingJobRequest, TrainingJobResult>;
  private readonly redis: Redis;
  private readonly connection: Redis;
  readonly codeCommit: string;
  private readonly registry?: ModelRegistryPort;
  /** Served-feature log reader (read-only queries). */
  private readonly pool?: Pool;

  constructor(
    readonly config: TrainerConfig,
    readonly logger: Logger,
    overrides: TrainerOverrides = {},
  ) {
    this.redis = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    // Shared by queue and worker (BullMQ duplicates it for the worker's blocking reads); closed in stop().
    this.connection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUES.training, {
      connection: this.connection,
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: config.JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
    this.codeCommit = config.CODE_COMMIT ?? gitHead();
    if (config.SERVED_LOG_DATABASE_URL) {
      this.pool = new Pool({ connectionString: config.SERVED_LOG_DATABASE_URL, options: `-c search_path="${config.SERVED_LOG_SCHEMA}"`, max: 2 });
      this.pool.on('error', (err) => this.logger.warn({ err: err.message }, 'served-log pool error'));
    }
    this.registry =
      overrides.registry ??
      (config.REGISTRY_URL && config.REGISTRY_TOKEN
        ? new RegistryClientModelRegistry({ baseUrl: config.REGISTRY_URL, token: config.REGISTRY_TOKEN, region: config.REGISTRY_REGION, policyVersion: config.POLICY_VERSION })
        : undefined);
  }

  start(): void {
    if (!this.config.WORKER_ENABLED) return;
    this.worker = new Worker<TrainingJobRequest, TrainingJobResult>(QUEUES.training, (job, _token, signal) => this.process(job, signal), {
      connection: this.connection,
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      lockDuration: this.config.LOCK_DURATION_MS,
      stalledInterval: this.config.STALLED_INTERVAL_MS,
      maxStalledCount: this.config.MAX_STALLED_COUNT,
    });
    this.worker.on('failed', (job, err) => this.logger.warn({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'training job failed'));
    this.worker.on('completed', (job) => this.logger.info({ jobId: job.id, sha256: job.returnvalue?.sha256 }, 'training job completed'));
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
    this.redis.disconnect();
    await this.pool?.end();
  }

  /** Idempotent by job key: BullMQ ignores an add whose jobId exists, so a replay returns the same job. */
  async enqueue(req: TrainingJobRequest): Promise<{ view: TrainingJobView; created: boolean }> {
    if (req.dataSource.kind === 'served-log' && !this.pool) {
      throw new ValidationError('The served-feature log is not configured on this trainer', [{ path: 'dataSource.kind', message: 'SERVED_LOG_DATABASE_URL not set' }], 'SERVED_LOG_UNAVAILABLE');
    }
    const existing = await this.queue.getJob(req.jobKey);
    if (existing) return { view: await this.view(existing), created: false };
    const job = await this.queue.add('train', req, { jobId: req.jobKey });
    return { view: await this.view(job), created: true };
  }

  async get(id: string): Promise<TrainingJobView> {
    const job = await this.queue.getJob(id);
    if (!job) throw new NotFoundError('TRAINING_JOB_NOT_FOUND', `No training job ${id}`);
    return this.view(job);
  }

  /** Waiting jobs are removed; a running one is told to stop (its own process aborts it at the next check). */
  async cancel(id: string): Promise<TrainingJobView> {
    const job = await this.queue.getJob(id);
    if (!job) throw new NotFoundError('TRAINING_JOB_NOT_FOUND', `No training job ${id}`);
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return this.view(job);
    await this.redis.set(this.cancelKey(id), '1', 'EX', 7 * 24 * 3600);
    if (state === 'active') {
      this.worker?.cancelJob(id, CANCELLED_REASON);
      return this.view(job);
    }
    await job.remove();
    return { ...(await this.view(job)), state: 'cancelled' };
  }

  private cancelKey(id: string): string {
    return `${this.config.QUEUE_PREFIX}:${QUEUES.training}:cancel:${id}`;
  }

  private async process(job: Job<TrainingJobRequest, TrainingJobResult>, signal?: AbortSignal): Promise<TrainingJobResult> {
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const poll = setInterval(() => {
      this.redis.get(this.cancelKey(job.id as string)).then(
        (v) => v && ac.abort(),
        () => undefined,
      );
    }, this.config.CANCEL_POLL_MS);
    try {
      if (await this.redis.get(this.cancelKey(job.id as string))) throw new UnrecoverableError(CANCELLED_REASON);
      return await processTrainingJob(job, {
        signal: ac.signal,
        dataDir: this.config.DATA_DIR,
        pool: this.pool,
        codeCommit: this.codeCommit,
        registry: this.registry,
        saveArtifact: (name, key, bytes) => this.saveArtifact(name, key, bytes),
      });
    } finally {
      clearInterval(poll);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async saveArtifact(name: string, key: string, bytes: Buffer): Promise<string> {
    const dir = resolve(this.config.ARTIFACT_DIR, name);
    await mkdir(dir, { recursive: true });
    const p = join(dir, `${key}.bundle.json`);
    await writeFile(p, bytes);
    return p;
  }

  private async view(job: Job<TrainingJobRequest, TrainingJobResult>): Promise<TrainingJobView> {
    const state = await job.getState();
    const cancelled = state === 'failed' && job.failedReason === CANCELLED_REASON;
    return {
      id: job.id as string,
      state: cancelled ? 'cancelled' : state,
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      failedReason: job.failedReason ?? null,
      result: job.returnvalue ?? null,
    };
  }
}

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

