import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import { TOPICS } from '@risk/contract-events';
import { createEventLog, type EventLog } from '@risk/event-log';
import { RegistryClient } from '@risk/registry-client';
import type { ScoringSample } from '@risk/simulators';
import {
  API,
  AppProcess,
  DATABASE_URL,
  TOKENS,
  dropSchema,
  promoteToProduction,
  registerModel,
  startController,
  startRedis,
  startRegistry,
  startScorer,
  useEnvironment,
  waitFor,
} from './rollout-int.harness';
import { SimulatedTraffic } from './simulated-traffic';

/**
 * The whole loop, for real: registry (PostgreSQL), scorer (canary split by checkout-id hash, shadow scoring,
 * decision log on Redis Streams), two controller replicas (one leader by advisory lock), marketplace-simulator
 * traffic with issuer outcomes. Bake times are short and sample minimums small so it runs in about a minute.
 */
jest.setTimeout(170_000);
useEnvironment(process.env);

const REGION = 'eu';
const MODEL = 'checkout';
// Production declines ~5% of eu traffic (IP/BIN country mismatch); the good candidate is a near-identical retrain;
// the bad one also declines most digital-goods checkouts: roughly 3x production's decline rate on this traffic.
const PROD_WEIGHTS = { bin_country_ne_ip: 9, bin_country_ne_shipping: 2, is_guest: 1, digital_goods: 1, high_risk_category: 1.5, channel_api: 1, log_amount: 0.1 };
const GOOD_WEIGHTS = { ...PROD_WEIGHTS, channel_api: 1.1 };
const BAD_WEIGHTS = { ...PROD_WEIGHTS, digital_goods: 7.5 };
const GUARDRAILS = { minSamples: 120 };
const STEPS = [
  { percent: 25, bakeMs: 1000 },
  { percent: 50, bakeMs: 1000 },
  { percent: 100, bakeMs: 1000 },
];

interface RolloutView {
  id: string;
  status: string;
  stepIndex: number;
  outcome: string | null;
  awaiting: string | null;
  lastAnalysis: { verdict: string; breaches: { guardrail: string; segment: string; canary: number; production: number; nCanary: number }[] } | null;
  events: { type: string; actor: string; details: Record<string, unknown> }[];
}

describe('rollout controller against the real registry, scorer, Redis and PostgreSQL', () => {
  const schema = `ctl_it_${process.pid}_${Date.now().toString(36)}`;
  const work = mkdtempSync(join(tmpdir(), 'ctl-it-'));
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let scorer: AppProcess;
  const controllers: AppProcess[] = [];
  let log: EventLog;
  let traffic: SimulatedTraffic;
  let rita: RegistryClient;
  let approving = true;
  let approver: Promise<void>;
  let v1: string;

  beforeAll(async () => {
    // Everything that boots slowly boots at once; the traffic pool is generated meanwhile.
    [redis, registry] = await Promise.all([startRedis(), startRegistry(schema)]);
    rita = new RegistryClient({ baseUrl: registry.proc.url, token: TOKENS.rita });
    v1 = await registerModel(registry.proc.url, MODEL, 'v1', PROD_WEIGHTS, -7.5);
    await promoteToProduction(registry.proc.url, v1, REGION);
    const poolP = SimulatedTraffic.pool(REGION, 7, 2000);
    const ctl = (consumer: string) => startController({ schema, registryUrl: registry.proc.url, redisUrl: redis.url, region: REGION, consumer });
    let pool: ScoringSample[];
    [scorer, controllers[0], controllers[1], pool] = await Promise.all([startScorer({ region: REGION, redisUrl: redis.url, registryUrl: registry.proc.url, workDir: work }), ctl('controller-a'), ctl('controller-b'), poolP]);
    await waitFor('scorer loads v1', async () => ((await (await fetch(`${scorer.url}/health/ready`)).json()) as { model: { production: string } }).model.production === v1, 45_000);
    log = await createEventLog({ backend: 'redis', redisUrl: redis.url, region: REGION, clientId: 'it-traffic' });
    traffic = new SimulatedTraffic({ scorerUrl: scorer.url, pool, log, seed: 7, concurrency: 8, maxRequests: 60_000 }).start();
    // A release manager who approves whatever the controller asks for (four eyes: the controller requested it).
    approver = (async () => {
      while (approving) {
        const pending = await rita.listPromotionRequests({ model: MODEL, status: 'pending' }).catch(() => []);
        for (const p of pending) await rita.approve(p.id, 'looks good').catch(() => undefined);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
  });

  afterAll(async () => {
    approving = false;
    await approver;
    await traffic?.stop();
    await log?.close({ timeoutMs: 2000 });
    await Promise.all(controllers.map((c) => c.kill('SIGTERM')));
    await scorer?.kill('SIGTERM');
    await registry?.proc.kill('SIGTERM');
    await redis?.stop();
    await dropSchema(schema);
    rmSync(work, { recursive: true, force: true });
    if (registry) rmSync(registry.artifactDir, { recursive: true, force: true });
  });

  const leader = async (): Promise<AppProcess> =>
    waitFor('a leader', async () => {
      for (const c of controllers) {
        if (c.child.exitCode !== null || c.child.signalCode !== null) continue;
        const h = (await (await fetch(`${c.url}/health`)).json()) as { leader: boolean };
        if (h.leader) return c;
      }
      return null;
    }, 15_000);

  const follower = async (): Promise<AppProcess> => {
    const l = await leader();
    return controllers.find((c) => c !== l && c.child.exitCode === null && c.child.signalCode === null) ?? l;
  };

  const rollout = async (id: string): Promise<RolloutView> => {
    const res = await API((await follower()).url, TOKENS.victor)<RolloutView>('GET', `/v1/rollouts/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('exactly one replica leads; operators are authenticated with registry tokens and authorised by role', async () => {
    const health = await Promise.all(controllers.map(async (c) => ((await (await fetch(`${c.url}/health`)).json()) as { leader: boolean }).leader));
    expect(health.filter(Boolean)).toHaveLength(1);
    const url = controllers[0]?.url as string;
    expect((await API(url, 'not-a-real-token-xxxx')('GET', '/v1/rollouts')).status).toBe(401);
    const denied = await API(url, TOKENS.victor)<{ error: { code: string } }>('POST', '/v1/rollouts', { subject: { model: MODEL, versionId: v1 }, regions: [REGION], reason: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN_ROLE');
    const bad = await API(url, TOKENS.rita)<{ error: { code: string } }>('POST', '/v1/rollouts', { subject: { model: MODEL, versionId: v1 }, regions: [REGION], steps: [], reason: 'x' });
    expect(bad.status).toBe(400);
  });

  it('rolls a candidate that declines 3x more back automatically at the first step, with evidence, alert and metric', async () => {
    const v3 = await registerModel(registry.proc.url, MODEL, 'v3-bad', BAD_WEIGHTS, -7.5);
    const started = await API((await follower()).url, TOKENS.rita)<RolloutView>('POST', '/v1/rollouts', { subject: { model: MODEL, versionId: v3 }, regions: [REGION], steps: STEPS, guardrails: GUARDRAILS, reason: 'bad retrain' });
    expect(started.status).toBe(201);
    const id = started.body.id;
    const done = await waitFor('the bad canary to end', async () => {
      const r = await rollout(id);
      if (r.status === 'completed' || r.stepIndex > 0) throw new Error(`bad canary got through: ${JSON.stringify({ status: r.status, step: r.stepIndex, analysis: r.lastAnalysis })}`);
      return r.status === 'rolled_back' ? r : null;
    }, 60_000, 300);
    expect(done.status).toBe('rolled_back');
    expect(done.stepIndex).toBe(0);
    expect(done.events.filter((e) => e.type === 'step').map((e) => e.details['to'])).toEqual([25]);
    const breached = done.lastAnalysis?.breaches.map((b) => `${b.guardrail}@${b.segment}`) ?? [];
    expect(breached).toEqual(expect.arrayContaining(['decline_rate@overall']));
    const decline = done.lastAnalysis?.breaches.find((b) => b.guardrail === 'decline_rate' && b.segment === 'overall');
    expect(decline?.canary).toBeGreaterThan((decline?.production ?? 1) * 1.5);
    expect(done.outcome).toMatch(/rolled back at 25%: decline_rate/);

    // Registry: out of canary, evidence attached, the timeline shows the step and the rollback at 0%.
    expect((await rita.getVersion(v3)).stages[REGION]?.stage).toBe('candidate');
    const evidence = (await (await fetch(`${registry.proc.url}/api/v1/versions/${v3}/evidence`, { headers: { authorization: `Bearer ${TOKENS.rita}` } })).json()) as { kind: string }[];
    expect(evidence.map((e) => e.kind)).toContain('canary-breach');
    const timeline = await rita.listRolloutSteps(v3);
    expect(timeline.map((s) => `${s.step}:${s.status}:${s.trafficPercent}`)).toEqual(['canary-approval:awaiting_canary_approval:0', 'canary-25:active:25', 'canary-25:rolled_back:0']);
    expect((await rita.getRegionDeployment(MODEL, REGION)).production?.versionId).toBe(v1);

    // Alert on the event log, and the Prometheus counter on the leader.
    const alertLog = await createEventLog({ backend: 'redis', redisUrl: redis.url, clientId: 'it-alerts' });
    try {
      const alerts: { name: string; rolloutId: string }[] = [];
      const sub = await alertLog.subscribe<{ name: string; rolloutId: string }>({ group: `it-alerts-${id}`, consumer: 'it', topics: [TOPICS.alerts], fromBeginning: true, blockMs: 100, handler: async (m) => void alerts.push(m.value) });
      await waitFor('the breach alert', async () => alerts.some((a) => a.name === 'rollout.guardrail_breach' && a.rolloutId === id), 10_000);
      await sub.stop();
    } finally {
      await alertLog.close();
    }
    const metrics = await (await fetch(`${(await leader()).url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`rollout_guardrail_breach_total\\{rollout="${id}",guardrail="decline_rate"\\} [1-9]`));
  });

  it('walks a good candidate through shadow and every step to production, and the standby resumes at the right step when the leader is SIGKILLed', async () => {
    const v2 = await registerModel(registry.proc.url, MODEL, 'v2-good', GOOD_WEIGHTS, -7.5);
    const started = await API((await follower()).url, TOKENS.rita)<RolloutView>('POST', '/v1/rollouts', {
      subject: { model: MODEL, versionId: v2 },
      regions: [REGION],
      shadowMs: 1000,
      shadowGate: { minSamples: 100 },
      steps: [STEPS[0], { percent: 50, bakeMs: 5000 }, STEPS[2]],
      guardrails: GUARDRAILS,
      reason: 'weekly retrain',
    });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(started.body.status).toBe('shadow');

    // Kill the leader once it is baking the 50% step.
    await waitFor('the 50% step', async () => {
      const r = await rollout(id);
      if (['rolled_back', 'aborted'].includes(r.status)) throw new Error(`rollout ended early: ${r.outcome}`);
      return r.status === 'canary' && r.stepIndex === 1;
    }, 70_000, 200);
    const killed = await leader();
    await killed.kill('SIGKILL');
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    try {
      const row = await db.query<{ stepIndex: number; status: string }>(`SELECT "stepIndex", "status" FROM "${schema}"."Rollout" WHERE id = $1`, [id]);
      expect(row.rows[0]).toEqual({ stepIndex: 1, status: 'canary' });
    } finally {
      await db.end();
    }
    const survivor = await leader();
    expect(survivor).not.toBe(killed);
    const resumed = await rollout(id);
    expect(resumed.stepIndex).toBeGreaterThanOrEqual(1);

    const done = await waitFor('production', async () => {
      const r = await rollout(id);
      if (['rolled_back', 'aborted'].includes(r.status)) throw new Error(`rollout ended: ${r.outcome} ${JSON.stringify(r.lastAnalysis?.breaches)}`);
      return r.status === 'completed' ? r : null;
    }, 60_000, 300);
    // Every step exactly once: the survivor did not restart at 25%.
    expect(done.events.filter((e) => e.type === 'step').map((e) => e.details['to'])).toEqual([25, 50, 100]);
    expect(done.events.map((e) => e.type)).toEqual(['started', 'approval_requested', 'step', 'step', 'step', 'approval_requested', 'completed']);

    const dep = await rita.getRegionDeployment(MODEL, REGION);
    expect(dep.production?.versionId).toBe(v2);
    expect((await rita.getVersion(v1)).stages[REGION]?.stage).toBe('archived');
    const timeline = (await rita.listRolloutSteps(v2)).map((s) => `${s.step}:${s.status}:${s.trafficPercent}`);
    expect(timeline).toEqual([
      'shadow:started:0',
      'canary-approval:awaiting_canary_approval:0',
      'canary-25:active:25',
      'canary-50:active:50',
      'canary-100:active:100',
      // Traffic stays at 100% while the release manager approves the promotion.
      'production-approval:awaiting_production_approval:100',
      'production:completed:100',
    ]);
    const evidence = (await (await fetch(`${registry.proc.url}/api/v1/versions/${v2}/evidence`, { headers: { authorization: `Bearer ${TOKENS.rita}` } })).json()) as { kind: string; n?: number }[];
    expect(evidence.map((e) => e.kind)).toEqual(['shadow-comparison', 'canary-analysis', 'canary-analysis', 'canary-analysis']);

    // Weeks later: labels mature; the report joins them to the canary decisions and is attached to the version.
    const labels = [...traffic.truth].map(([checkoutId, fraud]) => ({ topic: TOPICS.labels, key: checkoutId, value: { type: 'label.confirmed', payload: { checkoutId, label: fraud ? 'fraud' : 'legitimate' } } }));
    for (let i = 0; i < labels.length; i += 500) await log.publishBatch(labels.slice(i, i + 500));
    const report = await waitFor('labelled report', async () => {
      const res = await API(survivor.url, TOKENS.rita)<{ production: { labelled: number }; canary: { labelled: number }; verdict: string }>('POST', `/v1/rollouts/${id}/matured-label-report`, { minLabelsPerArm: 50 });
      return res.status === 200 && res.body.canary.labelled > 50 && res.body.production.labelled > 50 ? res.body : null;
    }, 20_000, 500);
    expect(['improved', 'no_difference', 'mixed', 'worse']).toContain(report.verdict);
    const kinds = ((await (await fetch(`${registry.proc.url}/api/v1/versions/${v2}/evidence`, { headers: { authorization: `Bearer ${TOKENS.rita}` } })).json()) as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toContain('matured-label-report');
  });

  it('shows both rollouts on the registry UI timeline (headless Chromium, as a viewer)', async () => {
    const shots = join(__dirname, '../../../artifacts/controller');
    mkdirSync(shots, { recursive: true });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
      await page.goto(`${registry.proc.url}/ui`);
      await page.getByTestId('token-input').fill(TOKENS.victor);
      await page.getByTestId('login-button').click();
      const timeline = page.getByTestId('timeline');
      await timeline.locator('table').waitFor({ timeout: 15_000 });
      const text = await timeline.innerText();
      // Registry versions: 1 = production before, 2 = the bad candidate, 3 = the good one.
      expect(text).toMatch(/v2\s+eu\s+canary-25\s+0%\s+rolled_back\s+controller/);
      expect(text).toMatch(/v3\s+eu\s+canary-50\s+50%\s+active\s+controller/);
      expect(text).toMatch(/v3\s+eu\s+production\s+100%\s+completed\s+controller/);
      await timeline.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'registry-rollout-timeline.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
