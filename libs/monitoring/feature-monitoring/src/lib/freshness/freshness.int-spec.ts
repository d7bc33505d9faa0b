import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import type { EventLog, Subscription } from '@risk/event-log';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { createLogger } from '@risk/util-logging';
import { EventLogAlertSink } from '../alerts/alert.tracker';
import { MonitoringMetrics } from '../metrics/monitoring.metrics';
import { MonitoringService } from '../monitoring.service';
import type { MonitoringAlert } from '../monitoring.types';
import { MONITORING_ALERTS } from '../monitoring.types';
import { InMemoryReferenceStore } from '../reference/training-reference';
import { FreshnessMonitor } from './freshness.monitor';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-mon-${randomUUID().slice(0, 8)}`;
const until = async (cond: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('freshness on a real Redis Streams consumer group', () => {
  let log: EventLog;
  const subs: Subscription[] = [];

  beforeAll(async () => {
    log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix: prefix, defaultPartitions: 4 });
  });

  afterAll(async () => {
    for (const s of subs) await s.stop({ timeoutMs: 2000 }).catch(() => undefined);
    await log.close({ timeoutMs: 2000 });
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

  it('a paused consumer raises the stalled-consumer alert on TOPICS.alerts for its group only', async () => {
    const topic = TOPICS.checkoutEvents;
    const publishBatch = (n: number, from: number) => log.publishBatch(Array.from({ length: n }, (_, i) => ({ topic, key: `acct-${(from + i) % 97}`, value: { n: from + i } })));
    const handled = { paused: 0, healthy: 0 };
    const consumer = (group: 'paused' | 'healthy') =>
      log.subscribe({ group: `${prefix}-${group}`, consumer: `${group}-1`, topics: [topic], blockMs: 100, handler: async () => void handled[group]++ });
    const paused = await consumer('paused');
    subs.push(paused, await consumer('healthy'));

    const received: MonitoringAlert[] = [];
    subs.push(await log.subscribe<MonitoringAlert>({ group: `${prefix}-alert-reader`, consumer: 'r', topics: [TOPICS.alerts], blockMs: 100, handler: async (m) => void received.push(m.value) }));

    const metrics = new MonitoringMetrics();
    const freshness = new FreshnessMonitor('eu', log, [`${prefix}-paused`, `${prefix}-healthy`].map((group) => ({ group, topics: [topic] })), {
      minLag: 100,
      stalledPolls: 3,
      maxP95AgeSeconds: 300,
      minAgeSamples: 50,
    });
    const svc = new MonitoringService({
      featureSet: checkoutFeatureSet,
      references: new InMemoryReferenceStore(),
      alerts: new EventLogAlertSink(log),
      metrics,
      logger: createLogger({ name: 'freshness-test', level: 'silent' }),
      windowMs: 3_600_000,
      maturityDays: 30,
      freshness,
    });

    // Both consumers keep up: no alert.
    await publishBatch(800, 0);
    await until(() => handled.paused >= 800 && handled.healthy >= 800);
    for (let i = 0; i < 4; i++) await svc.pollFreshness();
    expect(svc.activeAlerts()).toEqual([]);

    // Pause one consumer; traffic continues.
    await paused.stop({ timeoutMs: 2000 });
    let sent = 800;
    for (let i = 0; i < 5; i++) {
      await publishBatch(300, sent);
      sent += 300;
      await until(() => handled.healthy >= sent);
      await svc.pollFreshness();
    }
    const active = svc.activeAlerts();
    expect(active.length).toBeGreaterThan(0);
    for (const a of active) {
      expect(a.name).toBe(MONITORING_ALERTS.consumerStalled);
      expect(a.labels['group']).toBe(`${prefix}-paused`);
      expect(a.labels['region']).toBe('eu');
    }
    await until(() => received.some((a) => a.name === MONITORING_ALERTS.consumerStalled && a.status === 'firing'));
    expect(received.every((a) => a.labels['group'] === `${prefix}-paused`)).toBe(true);

    const text = await metrics.registry.metrics();
    expect(text).toMatch(new RegExp(`eventlog_consumer_lag\\{topic="${topic.replace(/\./g, '\\.')}",partition="\\d",group="${prefix}-paused"\\} [1-9]`));
    const totalLag = svc.lastLag.filter((r) => r.group === `${prefix}-paused`).reduce((a, r) => a + r.lag, 0);
    expect(totalLag).toBe(1500);
    expect(svc.lastLag.filter((r) => r.group === `${prefix}-healthy`).every((r) => r.lag === 0)).toBe(true);
  }, 45_000);
});
