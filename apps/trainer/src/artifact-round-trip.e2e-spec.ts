import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadScorer, parseBundle } from '@risk/ml';
import { createDataSource, parseTrainingJobRequest, RegistryClientModelRegistry, runTrainingJob, toTrainingJobCommand } from '@risk/training';

const ROOT = resolve(__dirname, '../../..');
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const schema = `trainer_rt_${process.pid}_${Date.now().toString(36)}`;
const TRAINER_TOKEN = 'test-svc-trainer-roundtrip-0123';

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });

/** Trainer -> the real registry (its own process, fresh Postgres schema) -> scorer-side loadScorer. */
describe('artifact round trip: trainer -> registry -> scorer', () => {
  let registry: ChildProcess;
  let baseUrl = '';
  const artifacts = mkdtempSync(join(tmpdir(), 'trainer-rt-'));

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    registry = spawn(process.execPath, ['-r', './tools/node/register.js', 'apps/registry/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL,
        DB_SCHEMA: schema,
        ARTIFACT_DIR: artifacts,
        REGISTRY_TOKENS: `trainer:trainer:${TRAINER_TOKEN}`,
        OUTBOX_ENABLED: 'false',
        EVENT_LOG: 'none',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const until = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until || registry.exitCode !== null) throw new Error('registry did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 70_000);

  afterAll(async () => {
    if (registry && registry.exitCode === null) {
      registry.kill('SIGTERM');
      await new Promise((r) => registry.once('exit', r));
    }
    const pg = new Client({ connectionString: DATABASE_URL });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
    rmSync(artifacts, { recursive: true, force: true });
  });

  it('registers the trained bundle with metrics and lineage; the downloaded bytes score identically', async () => {
    const req = parseTrainingJobRequest({
      jobKey: 'roundtrip-1',
      modelName: 'handbook-rt',
      modelType: 'gbdt',
      dataSource: { kind: 'handbook-simulated', customers: 200, terminals: 400, days: 26, startDate: '2018-04-01', seed: 9 },
      trainWindow: { from: '2018-04-05', to: '2018-04-15' },
      evaluationWindow: { from: '2018-04-15', to: '2018-04-19' },
      maturityCutoff: '2018-04-27',
      chargebackWindowDays: 7,
      hyperparameters: { gbdt: { nTrees: 40, maxDepth: 4 } },
    });
    const adapter = new RegistryClientModelRegistry({ baseUrl, token: TRAINER_TOKEN, region: 'eu', policyVersion: 'p1' });
    const res = await runTrainingJob(toTrainingJobCommand(req), { dataSource: createDataSource(req.dataSource, artifacts), registry: adapter, codeCommit: 'rt-commit' });
    expect(res.model).toMatchObject({ name: 'handbook-rt', version: '1' });
    // No production model yet: nothing to compare against.
    expect(res.comparison).toBeUndefined();

    const version = await fetch(`${baseUrl}/api/v1/versions/${res.model?.versionId}`, { headers: { authorization: `Bearer ${TRAINER_TOKEN}` } }).then((r) => r.json());
    expect(version.lineage).toMatchObject({ trainingJobId: 'roundtrip-1', featureSetName: 'handbook', featureSetVersion: '1', codeCommit: 'rt-commit' });
    expect(version.metrics.summary.aucRoc).toBeCloseTo(res.evaluation.aucRoc, 12);
    expect(version.artifact).toMatchObject({ sha256: res.sha256, status: 'verified' });

    const { data } = await adapter.download(res.model?.versionId as string, res.sha256);
    const scorer = loadScorer(parseBundle(data, res.sha256));
    res.parityProbe.X.forEach((row, k) => expect(Math.abs(scorer.predict(Float32Array.from(row)) - res.parityProbe.scores[k])).toBeLessThan(1e-6));
  }, 60_000);
});
