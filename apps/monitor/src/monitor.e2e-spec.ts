import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { exampleCheckoutStarted, TOPICS } from '@risk/contract-events';
import type { DecisionMadeEvent } from '@risk/contract-events';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { buildTrainingReference, InMemoryReferenceStore } from '@risk/monitoring';
import { createLogger } from '@risk/util-logging';
import { loadMonitorConfig } from './monitor.config';
import { createMonitorApp } from './monitor.app';
import type { MonitorRuntime } from './monitor.runtime';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-monitor-${randomUUID().slice(0, 8)}`;
const MV = 'mv-e2e-1';
const names = checkoutFeatureSet.featureNames;

// Feature i of row r: a deterministic spread; `shift` moves `amount` only.
const value = (f: number, r: number, shift = 0): number => ((r * 7 + f * 13) % 50) + (names[f] === 'amount' ? shift : 0);

function decision(r: number, at: number, shift: number): DecisionMadeEvent {
  const features: Record<string, number> = {};
  names.forEach((n, f) => (features[n] = value(f, r, shift)));
  return {
    eventId: randomUUID(),
    schemaVersion: 1,
    type: 'decision.made',
    occurredAt: new Date(at).toISOString(),
    region: 'eu',
    payload: {
      requestId: randomUUID(),
      checkoutId: `co-${r}`,
      subject: exampleCheckoutStarted().payload.subject,
      action: r % 10 === 0 ? 'step_up' : 'allow',
      score: (r % 100) / 100,
      reasonCodes: [],
      modelVersion: MV,
      policyVersion: 'p1',
      featureSet: { name: checkoutFeatureSet.name, version: String(checkoutFeatureSet.version) },
      features,
      timings: {},
      degraded: [],
      arm: 'production',
    },
  };
}

describe('monitor app (real Redis event log)', () => {
  let app: NestFastifyApplication;
  let runtime: MonitorRuntime;

  beforeAll(async () => {
    const rows = 1000;
    const values = new Float64Array(rows * names.length);
    for (let r = 0; r < rows; r++) for (let f = 0; f < names.length; f++) values[r * names.length + f] = value(f, r);
    const store = new InMemoryReferenceStore();
    await store.save(
      buildTrainingReference({
        modelVersion: MV,
        featureSetVersion: '1',
        featureNames: names,
        values,
        scores: Array.from({ length: rows }, (_, r) => (r % 100) / 100),
        actions: Array.from({ length: rows }, (_, r) => (r % 10 === 0 ? 'step_up' : 'allow')),
      }),
    );
    const config = loadMonitorConfig({ EVENT_LOG_KEY_PREFIX: prefix, EVENT_LOG_PARTITIONS: '2', LAG_WATCH: `${prefix}-fs@${TOPICS.checkoutEvents}`, LOG_LEVEL: 'silent', MIN_SAMPLES: '100' });
    ({ app, runtime } = await createMonitorApp(config, createLogger({ name: 'monitor-e2e', level: 'silent' }), store));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }, 30_000);

  afterAll(async () => {
    await app?.close().catch(() => runtime?.stop());
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    for (let i = 0; i < 1000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    await redis.quit();
  });

  const get = async (url: string) => {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body) as Record<string, unknown> };
  };

  it('consumes decision.made from the event log, flags the shifted feature, exposes it in the API, metrics and page, and alerts on TOPICS.alerts', async () => {
    const now = Date.now();
    const events = Array.from({ length: 400 }, (_, r) => decision(r, now - 1000 + r, 40));
    await runtime.log.publishBatch(events.map((e) => ({ topic: TOPICS.decisions, key: e.payload.checkoutId, value: e })));
    const deadline = Date.now() + 15_000;
    while (runtime.ingested < 400 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(runtime.ingested).toBe(400);
    await runtime.service.evaluate(now + 1000);

    const drift = (await get(`/api/v1/monitoring/drift?modelVersion=${MV}&region=eu`)).json() as { features: { feature: string; psi: number }[] };
    const breaching = drift.features.filter((f) => f.psi > 0.25).map((f) => f.feature);
    expect(breaching).toEqual(['amount']);

    const metrics = await get('/metrics');
    expect(metrics.body).toMatch(/feature_drift_psi\{feature="amount",region="eu"\} [0-9.]+/);
    expect(metrics.body).toMatch(/score_drift_psi\{region="eu",model_version="mv-e2e-1"\} /);

    const alerts = (await get('/api/v1/monitoring/alerts')).json() as { active: { name: string; labels: Record<string, string> }[] };
    expect(alerts.active.map((a) => `${a.name}:${a.labels['feature']}`)).toEqual(['monitoring.feature_drift:amount']);
    const onLog = await runtime.log.lag(`${prefix}-nobody`, [TOPICS.alerts]);
    expect(onLog.reduce((a, p) => a + p.lag, 0)).toBe(1);

    const page = await get('/ui');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<svg');
    expect((await get('/api/v1/monitoring/drift?modelVersion=%3Cscript%3E')).status).toBe(400);
  }, 40_000);
});
