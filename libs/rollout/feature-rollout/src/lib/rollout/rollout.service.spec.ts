import { createLogger } from '@risk/util-logging';
import { decisionEvent } from '../testing/decision-event.fixture';
import { FakeRegistry, InMemoryRolloutRepository, RecordingAlerts } from '../testing/in-memory.ports';
import { RolloutService } from './rollout.service';

const V = '8b0c7a52-2f6e-4c55-9d8e-3f1b2c4d5e6f';

function setup() {
  let t = Date.parse('2026-11-25T10:00:00Z');
  const clock = { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  const repo = new InMemoryRolloutRepository();
  const registry = new FakeRegistry();
  registry.set(V, 'eu', 'candidate');
  const alerts = new RecordingAlerts();
  const breaches: string[] = [];
  const svc = new RolloutService({ repo, registry, alerts, metrics: { guardrailBreach: (_id, g) => void breaches.push(g) }, logger: createLogger({ name: 't', level: 'silent' }), now: clock.now });
  return { svc, repo, registry, alerts, breaches, clock };
}

const START = {
  subject: { kind: 'model', model: 'checkout', versionId: V },
  regions: ['eu'],
  steps: [
    { percent: 5, bakeMs: 1000 },
    { percent: 50, bakeMs: 1000 },
  ],
  guardrails: { minSamples: 100 },
  reason: 'weekly retrain',
};

/** Feeds traffic at the current clock: production declines 4%, the canary `canaryDecline`. */
function traffic(s: ReturnType<typeof setup>, canaryDecline: number, n = 400): void {
  for (let i = 0; i < n; i++) {
    const at = s.clock.now();
    s.svc.ingestDecision(decisionEvent({ arm: 'production', action: i % 25 === 0 ? 'decline' : 'allow', at }));
    s.svc.ingestDecision(decisionEvent({ arm: 'canary', action: i / n < canaryDecline ? 'decline' : 'allow', at }));
  }
}

describe('RolloutService', () => {
  it('walks approval → every step → production approval → completed, writing the timeline with traffic percentages', async () => {
    const s = setup();
    const r = await s.svc.start('rita', START);
    expect(r.status).toBe('awaiting_approval');
    await s.svc.tick();
    expect((await s.svc.get(r.id)).status).toBe('awaiting_approval');
    s.registry.approveAll();
    await s.svc.tick();
    expect(await s.svc.get(r.id)).toMatchObject({ status: 'canary', stepIndex: 0 });
    expect(await s.registry.stageOf(V, 'eu')).toBe('canary');
    traffic(s, 0.04);
    await s.svc.tick(); // bake not over yet
    expect((await s.svc.get(r.id)).stepIndex).toBe(0);
    s.clock.advance(1500);
    traffic(s, 0.04);
    await s.svc.tick();
    expect((await s.svc.get(r.id)).stepIndex).toBe(1);
    s.clock.advance(1500);
    traffic(s, 0.04);
    await s.svc.tick();
    expect((await s.svc.get(r.id)).awaiting).toBe('production');
    // The last step's traffic holds while the release manager approves the promotion.
    expect(s.registry.steps.at(-1)).toMatchObject({ step: 'production-approval', status: 'awaiting_production_approval', trafficPercent: 50 });
    s.registry.approveAll();
    await s.svc.tick();
    expect((await s.svc.get(r.id)).status).toBe('completed');
    expect(await s.registry.stageOf(V, 'eu')).toBe('production');
    expect(s.registry.steps.filter((x) => x.status === 'active').map((x) => x.trafficPercent)).toEqual([5, 50]);
    expect(s.registry.steps.at(-1)).toMatchObject({ step: 'production', trafficPercent: 100 });
    expect(s.breaches).toEqual([]);
  });

  it('does not advance without the minimum sample, even after the bake', async () => {
    const s = setup();
    const r = await s.svc.start('rita', START);
    s.registry.approveAll();
    await s.svc.tick();
    s.clock.advance(5000);
    traffic(s, 0.04, 30);
    await s.svc.tick();
    expect(await s.svc.get(r.id)).toMatchObject({ status: 'canary', stepIndex: 0, lastAnalysis: { verdict: 'insufficient_data' } });
  });

  it('rolls back on a 3x decline rate: candidate stage, evidence, alert, metric, timeline at 0%', async () => {
    const s = setup();
    const r = await s.svc.start('rita', START);
    s.registry.approveAll();
    await s.svc.tick();
    traffic(s, 0.12, 1500);
    await s.svc.tick();
    const after = await s.svc.get(r.id);
    expect(after.status).toBe('rolled_back');
    expect(after.outcome).toMatch(/decline_rate overall/);
    expect(await s.registry.stageOf(V, 'eu')).toBe('candidate');
    expect(s.registry.evidence.map((e) => e.kind)).toEqual(['canary-breach']);
    expect(s.alerts.alerts[0]).toMatchObject({ name: 'rollout.guardrail_breach', severity: 'critical', versionId: V });
    expect(s.breaches).toContain('decline_rate');
    expect(s.registry.steps.at(-1)).toMatchObject({ status: 'rolled_back', trafficPercent: 0, step: 'canary-5' });
  });

  it('pause holds the step, resume restarts the bake, skip-step advances, abort retreats; all audited', async () => {
    const s = setup();
    const r = await s.svc.start('rita', START);
    s.registry.approveAll();
    await s.svc.tick();
    await s.svc.command('rob', r.id, 'pause', 'investigating');
    s.clock.advance(5000);
    traffic(s, 0.04);
    await s.svc.tick();
    expect(await s.svc.get(r.id)).toMatchObject({ status: 'paused', stepIndex: 0 });
    await expect(s.svc.command('rob', r.id, 'pause', 'again')).rejects.toMatchObject({ code: 'ALREADY_PAUSED' });
    await s.svc.command('rob', r.id, 'resume', 'fine');
    expect(await s.svc.get(r.id)).toMatchObject({ status: 'canary', stepIndex: 0, stepStartedAt: s.clock.now().toISOString() });
    await s.svc.command('rob', r.id, 'skip-step', 'known good');
    expect((await s.svc.get(r.id)).stepIndex).toBe(1);
    await s.svc.command('rob', r.id, 'abort', 'stop');
    expect((await s.svc.get(r.id)).status).toBe('aborted');
    expect(await s.registry.stageOf(V, 'eu')).toBe('candidate');
    await expect(s.svc.command('rob', r.id, 'resume', 'x')).rejects.toMatchObject({ code: 'ROLLOUT_FINISHED' });
    expect((await s.repo.events(r.id)).map((e) => `${e.type}:${e.actor}`)).toEqual(['started:rita', 'step:controller', 'pause:rob', 'resume:rob', 'skip-step:rob', 'step:controller', 'abort:rob']);
  });

  it('refuses a second active rollout of the same model and region, and versions not in candidate/shadow', async () => {
    const s = setup();
    await s.svc.start('rita', START);
    await expect(s.svc.start('rita', START)).rejects.toMatchObject({ code: 'ROLLOUT_ACTIVE' });
    const other = setup();
    other.registry.set(V, 'eu', 'production');
    await expect(other.svc.start('rita', START)).rejects.toMatchObject({ code: 'NOT_A_CANDIDATE' });
    await expect(other.svc.start('rita', { ...START, steps: [{ percent: 50, bakeMs: 0 }, { percent: 5, bakeMs: 0 }] })).rejects.toMatchObject({ code: 'INVALID_ROLLOUT' });
  });

  it('runs a shadow phase first and rejects a candidate that disagrees too much', async () => {
    const s = setup();
    const r = await s.svc.start('rita', { ...START, shadowMs: 1000, shadowGate: { minSamples: 100, maxDisagreement: 0.1 } });
    expect(r.status).toBe('shadow');
    expect(await s.registry.stageOf(V, 'eu')).toBe('shadow');
    await s.svc.tick();
    for (let i = 0; i < 300; i++) {
      s.svc.ingestDecision(decisionEvent({ arm: 'production', action: 'allow', at: s.clock.now(), shadow: [{ modelVersion: V, score: 0.9, action: i % 3 === 0 ? 'decline' : 'allow' }] }));
    }
    await s.svc.tick();
    expect(await s.svc.get(r.id)).toMatchObject({ status: 'rolled_back', shadowReport: { verdict: 'fail' } });
    expect(await s.registry.stageOf(V, 'eu')).toBe('candidate');
    expect(s.alerts.alerts[0]?.name).toBe('rollout.shadow_rejected');
  });
});
