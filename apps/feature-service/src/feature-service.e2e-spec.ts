import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { CONSUMER_GROUPS, exampleCheckoutStarted, TOPICS } from '@risk/contract-events';
import { createEventLog, dlqTopicOf } from '@risk/event-log';
import type { DeadLetter, EventLog } from '@risk/event-log';
import { computeBatch } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { engineEventEnvelope } from '@risk/feature-ingestion';
import { handbookFeatureSet } from '@risk/feature-sets';
import { createOnlineRedis, OnlineFeatureReader } from '@risk/online-store';
import { handbookHistory } from './testing/handbook-fixture';

const ROOT = join(__dirname, '../../..');
const REDIS_URL = 'redis://127.0.0.1:6379';
const set = handbookFeatureSet;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('feature-service (spawned process, real Redis event log + online store)', () => {
  const id = randomUUID().slice(0, 8);
  const env = {
    ...process.env,
    PORT: String(13000 + Math.floor(Math.random() * 2000)),
    HOST: '127.0.0.1',
    REGION: 'eu',
    LOG_LEVEL: 'silent',
    FEATURE_SET: 'handbook',
    ACCEPT_ENGINE_EVENTS: 'true',
    FEATURE_KEY_PREFIX: `t-fs-${id}`,
    EVENT_LOG_KEY_PREFIX: `t-el-${id}`,
    EVENT_LOG_PARTITIONS: '1',
    CONSUMER_NAME: 'feature-service-0',
    CONSUMER_BATCH_SIZE: '10',
    CONSUMER_MAX_DELIVERIES: '2',
  };
  let log: EventLog;
  let child: ChildProcess | undefined;
  const start = (): ChildProcess => {
    const c = spawn(process.execPath, ['-r', './tools/node/register.js', 'apps/feature-service/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    return c;
  };

  beforeAll(async () => {
    log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix: env.EVENT_LOG_KEY_PREFIX, region: 'eu', defaultPartitions: 1 });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await log.close({ timeoutMs: 2000 });
    const redis = createOnlineRedis(REDIS_URL, { commandTimeoutMs: 5000, failFast: false });
    for (const p of [env.FEATURE_KEY_PREFIX, env.EVENT_LOG_KEY_PREFIX]) {
      const keys = await redis.keys(`${p}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    redis.disconnect();
  });

  async function backlog(): Promise<{ lag: number; pending: number }> {
    const lags = await log.lag(CONSUMER_GROUPS.featureService, [TOPICS.checkoutEvents]);
    return lags.reduce((a, l) => ({ lag: a.lag + l.lag, pending: a.pending + l.pending }), { lag: 0, pending: 0 });
  }

  it('SIGKILL mid-stream + restart: no event lost or double-counted (equals computeBatch); poison and foreign-region events go to the DLQ', async () => {
    const { events } = handbookHistory({ customers: 30, terminals: 40, days: 20, seed: 11, maxRows: 700 });
    const poisonAt = 200;
    const foreign = { ...exampleCheckoutStarted(), region: 'us' };
    const records = events.map((e: EngineEvent) => ({ topic: TOPICS.checkoutEvents, key: e.entities['customer'] ?? e.eventId, value: engineEventEnvelope('eu', e) as object }));
    records.splice(poisonAt, 0, { topic: TOPICS.checkoutEvents, key: 'poison', value: { hello: 'not an event' } }, { topic: TOPICS.checkoutEvents, key: 'foreign', value: foreign as object });
    // a few redeliveries of the same event ids (producer retries): must not count twice
    records.push(...records.slice(50, 60));
    await log.publishBatch(records);

    child = start();
    // kill once it is well into the stream
    for (let i = 0; i < 600; i++) {
      const b = await backlog();
      if (b.lag + b.pending < records.length * 0.6) break;
      await sleep(50);
    }
    const before = await backlog();
    expect(before.lag + before.pending).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await once(child, 'exit');

    child = start();
    for (let i = 0; i < 1200; i++) {
      const b = await backlog();
      if (b.lag === 0 && b.pending === 0) break;
      await sleep(50);
    }
    expect(await backlog()).toEqual({ lag: 0, pending: 0 });

    // final online state vs the batch engine over the same history, read "now" for every entity
    const redis = createOnlineRedis(REDIS_URL, { commandTimeoutMs: 2000, failFast: false });
    const reader = new OnlineFeatureReader({ redis, set, keyPrefix: env.FEATURE_KEY_PREFIX, region: 'eu', deadlineMs: 2000 });
    const t = events[events.length - 1].time + 1000;
    const pairs = new Map<string, EngineEvent>();
    for (const e of events) if (e.type === 'handbook.transaction') pairs.set(`${e.entities['customer']}|${e.entities['terminal']}`, { ...e, eventId: `probe-${pairs.size}`, time: t });
    const probes = [...pairs.values()];
    const expected = computeBatch(set, events, probes);
    for (let i = 0; i < probes.length; i++) {
      const got = await reader.read(probes[i]);
      expect(got.timedOut).toBe(false);
      expect(Array.from(got.values)).toEqual(Array.from(expected.values.subarray(i * expected.width, (i + 1) * expected.width)));
    }
    redis.disconnect();

    // dead letters: both refused messages, with their error codes
    const dead: DeadLetter[] = [];
    const sub = await log.subscribe<DeadLetter>({ group: 'dlq-reader', consumer: 'c', topics: [dlqTopicOf(TOPICS.checkoutEvents)], blockMs: 100, handler: async (m) => void dead.push(m.value) });
    for (let i = 0; i < 100 && dead.length < 2; i++) await sleep(50);
    await sub.stop();
    expect(dead.map((d) => d.error.code).sort()).toEqual(['RESIDENCY_VIOLATION', 'VALIDATION_FAILED']);

    child.kill('SIGTERM');
    await once(child, 'exit');
  }, 90_000);
});
