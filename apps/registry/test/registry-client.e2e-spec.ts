import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoMetrics } from '@risk/registry';
import { ArtifactIntegrityError, RegistryClient, RegistryRequestError } from '@risk/registry-client';
import { startRegistry, T, type Harness } from './registry-test-harness';

jest.setTimeout(60_000);
let h: Harness;
beforeAll(async () => {
  h = await startRegistry('client');
});
afterAll(() => h?.close());

const lineage = { trainingJobId: 'job-9', dataWindowStart: '2026-09-01T00:00:00Z', dataWindowEnd: '2026-11-01T00:00:00Z', featureSetName: 'checkout-core', featureSetVersion: '4', codeCommit: 'abc1234' };

describe('@risk/registry-client against the real registry', () => {
  it('covers the trainer → release → controller → scorer path', async () => {
    const trainer = new RegistryClient({ baseUrl: h.baseUrl, token: T.trainer });
    const mia = new RegistryClient({ baseUrl: h.baseUrl, token: T.mia });
    const rita = new RegistryClient({ baseUrl: h.baseUrl, token: T.rita });
    const controller = new RegistryClient({ baseUrl: h.baseUrl, token: T.controller });
    const scorer = new RegistryClient({ baseUrl: h.baseUrl, token: T.scorer, timeoutMs: 2000 });

    await trainer.ensureModel('m1');
    await trainer.ensureModel('m1');
    const bytes = Buffer.from('weights-for-client-test');
    const v = await trainer.registerVersion('m1', { metrics: demoMetrics(3, {}), lineage, policyVersion: 'p1' }, bytes);
    expect(v.artifact.status).toBe('verified');

    await controller.transition(v.id, { region: 'eu', toStage: 'shadow', reason: 'shadow start' });
    const req = await mia.requestPromotion(v.id, { region: 'eu', targetStage: 'canary', reason: 'shadow ok' });
    await rita.approve(req.id, 'ok');
    const res = await controller.executePromotion(req.id, { evidence: { psi: 0.01 } });
    expect(res).toMatchObject({ from: 'shadow', to: 'canary', region: 'eu' });
    await controller.appendRolloutStep(v.id, { region: 'eu', step: 'canary-1', trafficPercent: 1, status: 'started' });
    expect((await controller.listRolloutSteps(v.id)).map((s) => s.step)).toEqual(['canary-1']);

    const dep = await scorer.getRegionDeployment('m1', 'eu');
    expect(dep.canary?.versionId).toBe(v.id);
    expect(dep.production).toBeNull();
    const art = await scorer.downloadArtifact(v.id, dep.canary?.artifactSha256);
    expect(art.data.equals(bytes)).toBe(true);
    await expect(scorer.downloadArtifact(v.id, 'f'.repeat(64))).rejects.toBeInstanceOf(ArtifactIntegrityError);
    const ev = await scorer.events(0);
    expect(ev.events.some((e) => e.versionId === v.id && e.toStage === 'canary')).toBe(true);

    const err = await scorer.rollback('m1', 'eu', { reason: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryRequestError);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE', kind: 'forbidden' });
  });

  it('times out instead of hanging on a stalled registry', async () => {
    const stalled: Server = createServer(() => undefined);
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    try {
      const c = new RegistryClient({ baseUrl: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`, token: 'x'.repeat(20), timeoutMs: 200 });
      const t0 = Date.now();
      await expect(c.getRegionDeployment('m1', 'eu')).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      stalled.closeAllConnections();
      await new Promise((r) => stalled.close(r));
    }
  });
});
