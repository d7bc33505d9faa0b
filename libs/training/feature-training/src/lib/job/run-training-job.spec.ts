import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScorer, parseBundle, TrainingAbortedError } from '@risk/ml';
import { createDataSource, toTrainingJobCommand, parseTrainingJobRequest } from './training-job.schema';
import { runTrainingJob } from './run-training-job';
import type { TrainingJobProgress } from './training-job.types';

const request = parseTrainingJobRequest({
  jobKey: 'spec-job-1',
  modelType: 'gbdt',
  dataSource: { kind: 'handbook-simulated', customers: 400, terminals: 800, days: 40, startDate: '2018-04-01', seed: 5 },
  trainWindow: { from: '2018-04-08', to: '2018-04-24' },
  evaluationWindow: { from: '2018-04-24', to: '2018-05-01' },
  maturityCutoff: '2018-05-10',
  // Handbook labels arrive a week after the transaction.
  chargebackWindowDays: 7,
  hyperparameters: { gbdt: { nTrees: 60, maxDepth: 4, learningRate: 0.15, maxBins: 255 } },
});

describe('runTrainingJob (simulated handbook source)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains, evaluates, writes a bundle whose loaded scorer reproduces the trained scores, reproducibly', async () => {
    const progress: TrainingJobProgress[] = [];
    const run = () =>
      runTrainingJob(toTrainingJobCommand(request), {
        dataSource: createDataSource(request.dataSource, dir),
        codeCommit: 'test-commit',
        now: () => new Date('2026-01-01T00:00:00Z'),
        saveArtifact: async (name, key, bytes) => {
          const p = join(dir, `${name}-${key}-${progress.length}.bundle`);
          writeFileSync(p, bytes);
          return p;
        },
        onProgress: (p) => progress.push(p),
      });
    const res = await run();
    expect(res.labels.counts.fraud).toBeGreaterThan(20);
    expect(res.labels.counts.excludedImmature).toBe(0);
    expect(res.evaluation.rows).toBeGreaterThan(1000);
    expect(res.evaluation.aucRoc).toBeGreaterThan(0.75);
    expect(res.evaluation.ece).toBeLessThan(0.05);
    expect(res.lineage).toMatchObject({ featureSet: 'handbook@1', codeCommit: 'test-commit', maturityCutoff: '2018-05-10T00:00:00.000Z', chargebackWindowDays: 7 });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['load', 'label', 'train', 'evaluate', 'register', 'done']));

    // Artifact round trip: bytes on disk -> parse (checksum) -> scorer gives the trained model's scores.
    const scorer = loadScorer(parseBundle(readFileSync(res.artifactPath as string), res.sha256));
    res.parityProbe.X.forEach((row, k) => expect(Math.abs(scorer.predict(Float32Array.from(row)) - res.parityProbe.scores[k])).toBeLessThan(1e-6));

    // Seeded: the same job gives byte-identical bundles.
    const again = await run();
    expect(again.sha256).toBe(res.sha256);
  }, 60_000);

  it('stops with TrainingAbortedError when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      runTrainingJob(toTrainingJobCommand(request), { dataSource: createDataSource(request.dataSource, dir), codeCommit: 'x', signal: ac.signal }),
    ).rejects.toBeInstanceOf(TrainingAbortedError);
  });

  it('rejects CSV paths outside the data directory', () => {
    expect(() => createDataSource({ kind: 'handbook-csv', path: '../../etc/passwd' }, dir)).toThrow('inside the data directory');
  });
});
