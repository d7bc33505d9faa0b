import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiskEvent } from '@risk/contract-events';
import { computeBatch, type EngineEvent } from '@risk/feature-engine';
import { checkoutFeatureSet, toFeatureEvents } from '@risk/feature-sets';
import { bundleSha256, loadScorer, parseBundle } from '@risk/ml';
import { marketplaceEvents, writeMarketplaceJsonl } from '@risk/simulators';
import { createDataSource, parseTrainingJobRequest, toTrainingJobCommand } from '../job/training-job.schema';
import { runTrainingJob } from '../job/run-training-job';
import type { ModelRegistration, ModelRegistryPort } from '../job/training-job.types';
import type { TrainingData } from './training-data.types';

const SIM = { seed: 11, shoppers: 1200, days: 14, merchants: 840, startDate: '2026-11-01' };

describe('MarketplaceEventsDataSource (small marketplace simulation)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'train-mkt-'));
  const request = parseTrainingJobRequest({
    jobKey: 'mkt-gbdt',
    modelType: 'gbdt',
    dataSource: { source: 'marketplace-sim', ...SIM },
    hyperparameters: { gbdt: { nTrees: 60, maxDepth: 4, learningRate: 0.15 } },
  });
  const window = { from: Date.parse(request.trainWindow.from), to: Date.parse(request.evaluationWindow.to) };
  let data: TrainingData;

  beforeAll(async () => {
    data = await createDataSource(request.dataSource, dir).load({ window });
  }, 40_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves checkout-set vectors equal to the feature engine batch mode, with region / payment-method segments', () => {
    const events: RiskEvent[] = [...marketplaceEvents(SIM)];
    const engine: EngineEvent[] = events.flatMap((e) => toFeatureEvents(e));
    const requests = engine.filter((e) => e.type === 'checkout.started' && e.time >= window.from && e.time < window.to);
    const batch = computeBatch(checkoutFeatureSet, engine, requests);
    expect(data.featureSet).toEqual({ name: 'checkout', version: checkoutFeatureSet.version });
    expect(data.featureNames).toEqual([...checkoutFeatureSet.featureNames]);
    expect(data.n).toBe(requests.length);
    expect(data.n).toBeGreaterThan(1000);
    const w = batch.width;
    const row = new Map(requests.map((r, i) => [r.eventId.slice('checkout:'.length), i]));
    for (let k = 0; k < data.n; k++) {
      const i = row.get(data.transactionId[k]) as number;
      expect(Array.from(data.X.subarray(k * w, (k + 1) * w))).toEqual(Array.from(Float32Array.from(batch.values.subarray(i * w, (i + 1) * w))));
    }
    expect(new Set(data.region).size).toBeGreaterThan(1);
    expect(new Set(data.paymentMethod)).toContain('card');
    // Label evidence from every contract label event kind the simulator emits.
    expect(new Set(data.signals.map((s) => s.source))).toEqual(new Set(['chargeback', 'issuer_fraud_report', 'manual_review', 'authorisation_failure', 'review_rejected']));
  });

  it('reads the same rows from a JSONL export of the events', async () => {
    await writeMarketplaceJsonl(SIM, join(dir, 'events.jsonl'));
    const fromFile = await createDataSource(parseTrainingJobRequest({ jobKey: 'j', dataSource: { source: 'marketplace-jsonl', path: 'events.jsonl' }, trainWindow: request.trainWindow, evaluationWindow: request.evaluationWindow }).dataSource, dir).load({ window });
    expect(fromFile.transactionId).toEqual(data.transactionId);
    expect(fromFile.X).toEqual(data.X);
    expect(fromFile.signals.length).toBe(data.signals.length);
  }, 30_000);

  it('trains a checkout model that registers a valid bundle with per-segment metrics; compared with its LR baseline on held-out days', async () => {
    const registered: ModelRegistration[] = [];
    const registry: ModelRegistryPort = {
      register: async (r) => (registered.push(r), { name: r.name, version: String(registered.length), versionId: `v${registered.length}` }),
      productionArtifact: async () => undefined,
    };
    const cached = { description: createDataSource(request.dataSource, dir).description, load: async () => data };
    const run = (modelType: 'gbdt' | 'logistic') => {
      const req = parseTrainingJobRequest({ ...request, jobKey: `mkt-${modelType}`, modelType, hyperparameters: modelType === 'gbdt' ? request.hyperparameters : { network: { epochs: 8 } } });
      return runTrainingJob(toTrainingJobCommand(req), { dataSource: cached, registry, codeCommit: 'spec' });
    };
    const gbdt = await run('gbdt');
    const lr = await run('logistic');

    const reg = registered[0];
    const bundle = parseBundle(reg.artifact, reg.sha256);
    expect(bundleSha256(reg.artifact)).toBe(reg.sha256);
    expect(bundle.featureSet).toEqual({ name: 'checkout', version: checkoutFeatureSet.version });
    expect(bundle.featureNames).toEqual([...checkoutFeatureSet.featureNames]);
    expect(reg.lineage).toMatchObject({ featureSet: `checkout@${checkoutFeatureSet.version}`, maturityCutoff: request.maturityCutoff, dataSource: expect.stringContaining('marketplace simulator') });
    const scorer = loadScorer(bundle);
    gbdt.parityProbe.X.forEach((x, k) => expect(Math.abs(scorer.predict(Float32Array.from(x)) - gbdt.parityProbe.scores[k])).toBeLessThan(1e-6));
    expect(Object.keys(gbdt.evaluation.bySegment.region).length).toBeGreaterThan(1);
    expect(Object.keys(gbdt.evaluation.bySegment.paymentMethod)).toContain('card');
    expect(gbdt.labels.counts.excludedImmature).toBe(0);
    expect(gbdt.evaluation.frauds).toBeGreaterThan(20);

    // Measured on seeds 3-6 (21 days, 3000 shoppers): GBDT's AUC was at or above LR's on every seed (by 0.000-0.005)
    // but its AP only on 3 of 4, so only "both rank well, GBDT not worse on AUC" is asserted at this size.
    expect(lr.evaluation.aucRoc).toBeGreaterThan(0.85);
    expect(gbdt.evaluation.aucRoc).toBeGreaterThan(0.85);
    expect(gbdt.evaluation.aucRoc).toBeGreaterThan(lr.evaluation.aucRoc - 0.01);
  }, 60_000);
});
