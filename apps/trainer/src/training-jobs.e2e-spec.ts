import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadScorer, parseBundle } from '@risk/ml';
import { createLogger } from '@risk/util-logging';
import { loadTrainerConfig } from './trainer.config';
import { createTrainerApp } from './trainer.app';

const prefix = `test-trainer-${randomUUID().slice(0, 8)}`;
const artifacts = mkdtempSync(join(tmpdir(), 'trainer-e2e-'));

const small = {
  modelType: 'logistic',
  dataSource: { kind: 'handbook-simulated', customers: 150, terminals: 300, days: 24, startDate: '2018-04-01', seed: 3 },
  trainWindow: { from: '2018-04-04', to: '2018-04-14' },
  evaluationWindow: { from: '2018-04-14', to: '2018-04-18' },
  maturityCutoff: '2018-04-25',
  chargebackWindowDays: 7,
  hyperparameters: { network: { epochs: 3 } },
};
// Enough boosting rounds to still be running when the DELETE arrives.
const long = { ...small, modelType: 'gbdt', hyperparameters: { gbdt: { nTrees: 100000, earlyStoppingRounds: 100000, maxDepth: 8 } } };

describe('trainer API (BullMQ on real Redis)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const config = loadTrainerConfig({ QUEUE_PREFIX: prefix, ARTIFACT_DIR: artifacts, JOB_ATTEMPTS: '2', CANCEL_POLL_MS: '100', CODE_COMMIT: 'e2e' });
    ({ app } = await createTrainerApp(config, createLogger({ name: 'trainer-e2e', level: 'silent' })));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
    const redis = new IORedis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(artifacts, { recursive: true, force: true });
  });

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => app.inject({ method, url, payload: payload as object });

  async function waitFor(id: string, done: (v: { state: string; progress: unknown }) => boolean, timeoutMs = 40_000) {
    const until = Date.now() + timeoutMs;
    const seen: unknown[] = [];
    for (;;) {
      const v = (await inject('GET', `/v1/training-jobs/${id}`)).json();
      seen.push(v.progress);
      if (done(v)) return { view: v, seen };
      if (Date.now() > until) throw new Error(`timeout waiting for ${id}: ${JSON.stringify(v).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('runs a job to completion with progress; the same job key is idempotent; the artifact scores as trained', async () => {
    const first = await inject('POST', '/v1/training-jobs', { ...small, jobKey: 'job-a' });
    expect(first.statusCode).toBe(201);
    expect(first.json().id).toBe('job-a');
    const replay = await inject('POST', '/v1/training-jobs', { ...small, jobKey: 'job-a' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe('job-a');

    const { view, seen } = await waitFor('job-a', (v) => v.state === 'completed' || v.state === 'failed');
    expect(view.state).toBe('completed');
    expect(seen.some((p) => typeof p === 'object' && p !== null && 'phase' in p)).toBe(true);
    expect(view.progress).toMatchObject({ phase: 'done', percent: 100 });
    const result = view.result;
    expect(result.lineage).toMatchObject({ codeCommit: 'e2e', featureSet: 'handbook@1', jobKey: 'job-a' });
    expect(result.evaluation.rows).toBeGreaterThan(100);
    const scorer = loadScorer(parseBundle(readFileSync(result.artifactPath), result.sha256));
    result.parityProbe.X.forEach((row: number[], k: number) => expect(Math.abs(scorer.predict(Float32Array.from(row)) - result.parityProbe.scores[k])).toBeLessThan(1e-6));
    expect((await inject('GET', '/v1/training-jobs/job-a')).json().attemptsMade).toBe(1);
  }, 60_000);

  it('cancels a running job, which is then not retried', async () => {
    expect((await inject('POST', '/v1/training-jobs', { ...long, jobKey: 'job-long' })).statusCode).toBe(201);
    await waitFor('job-long', (v) => v.state === 'active' && (v.progress as { phase?: string })?.phase === 'train');
    const del = await inject('DELETE', '/v1/training-jobs/job-long');
    expect(del.statusCode).toBe(202);
    const { view } = await waitFor('job-long', (v) => v.state === 'cancelled' || v.state === 'completed', 20_000);
    expect(view.state).toBe('cancelled');
    expect(view.attemptsMade).toBe(1);
  }, 60_000);

  it('rejects bad input with a 400 and unknown jobs with a 404', async () => {
    const bad = await inject('POST', '/v1/training-jobs', { jobKey: 'x y' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('TRAINING_JOB_INVALID');
    expect((await inject('GET', '/v1/training-jobs/nope')).statusCode).toBe(404);
    // The production data-source specs are validated too (the `source` alias of `kind` included).
    for (const dataSource of [
      { source: 'marketplace-sim', shoppers: -1 },
      { source: 'marketplace-sim', days: 21, extra: true },
      { source: 'served-log', region: 'EU!' },
      { source: 'nope' },
    ]) {
      const r = await inject('POST', '/v1/training-jobs', { jobKey: 'bad-src', dataSource });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('TRAINING_JOB_INVALID');
    }
    // served-log needs windows (none given) and, here, a configured served-log database.
    const noWindow = await inject('POST', '/v1/training-jobs', { jobKey: 'bad-src', dataSource: { source: 'served-log', region: 'eu' } });
    expect(noWindow.statusCode).toBe(400);
    const noDb = await inject('POST', '/v1/training-jobs', { jobKey: 'bad-src', dataSource: { source: 'served-log', region: 'eu', window: { from: '2026-09-01', to: '2026-11-01' } } });
    expect(noDb.statusCode).toBe(400);
    expect(noDb.json().error.code).toBe('SERVED_LOG_UNAVAILABLE');
  });
});
