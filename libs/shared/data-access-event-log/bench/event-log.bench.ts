/**
 * Event-log throughput on the local Redis, against a raw ioredis XADD pipeline measured in the same run.
 *   node -r ./tools/node/register.js libs/shared/data-access-event-log/bench/event-log.bench.ts [--events 100000] [--redis redis://127.0.0.1:6379]
 */
import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createEventLog, type EventLog } from '../src/index';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const N = Number(arg('events', '100000'));
const REDIS_URL = arg('redis', 'redis://127.0.0.1:6379');
const BATCH = 500;
const PARTITIONS = 8;
const prefix = `bench-el-${randomUUID().slice(0, 8)}`;

const event = (i: number): Record<string, unknown> => ({
  eventId: `e-${i}`,
  type: 'transaction',
  entity: `card-${i % 5000}`,
  merchant: `m-${i % 300}`,
  amount: (i % 997) + 0.5,
  currency: 'EUR',
  occurredAt: 1_764_000_000_000 + i,
});

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function rawBaseline(redis: Redis): Promise<number> {
  return timeIt(async () => {
    for (let start = 0; start < N; start += BATCH) {
      const p = redis.pipeline();
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        p.call('XADD', `${prefix}:raw:{raw:${i % PARTITIONS}}`, 'MAXLEN', '~', '1000000', '*', 'k', `card-${i % 5000}`, 'v', JSON.stringify(event(i)), 't', String(Date.now()));
      }
      await p.exec();
    }
  });
}

async function consumeAll(log: EventLog, topic: string, consumers: number): Promise<number> {
  let handled = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  const subs = await Promise.all(
    Array.from({ length: consumers }, (_, c) =>
      log.subscribe({
        group: `bench-${consumers}`,
        consumer: `c${c}`,
        topics: [topic],
        batchSize: BATCH,
        blockMs: 200,
        handler: async () => {
          if (++handled === N) done();
        },
      }),
    ),
  );
  await Promise.race([finished, new Promise((r) => setTimeout(r, 120_000))]);
  await Promise.all(subs.map((s) => s.stop()));
  const seconds = (performance.now() - t0) / 1000;
  const lag = await log.lag(`bench-${consumers}`, [topic]);
  if (handled < N || lag.some((l) => l.lag > 0 || l.pending > 0)) throw new Error(`consumed ${handled}/${N}, lag ${JSON.stringify(lag)}`);
  return seconds;
}

async function latency(log: EventLog, topic: string, count: number): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const lat: number[] = [];
  const sub = await log.subscribe<{ i: number }>({
    group: 'latency',
    consumer: 'c0',
    topics: [topic],
    fromBeginning: false,
    blockMs: 1000,
    handler: async (m) => void lat.push(performance.now() - (sentAt.get(m.value.i) ?? NaN)),
  });
  for (let i = 0; i < count; i++) {
    sentAt.set(i, performance.now());
    await log.publish(topic, `k${i % 64}`, { i });
    await new Promise((r) => setTimeout(r, 1));
  }
  for (let w = 0; w < 200 && lat.length < count; w++) await new Promise((r) => setTimeout(r, 10));
  await sub.stop();
  return lat.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const admin = new Redis(REDIS_URL);
  const blocking = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix: prefix, defaultPartitions: PARTITIONS });
  const nonBlocking = await createEventLog({
    backend: 'redis',
    redisUrl: REDIS_URL,
    keyPrefix: prefix,
    defaultPartitions: PARTITIONS,
    publishMode: 'non-blocking',
    buffer: { maxBuffered: N, maxBatch: BATCH, flushTimeoutMs: 5_000 },
  });
  try {
    const rate = (s: number): string => `${Math.round(N / s).toLocaleString('en')} events/s`;
    console.log(`event-log bench: ${N.toLocaleString('en')} events, ${PARTITIONS} partitions, batches of ${BATCH}, ${REDIS_URL}`);

    const raw = await rawBaseline(admin);
    console.log(`baseline  raw ioredis XADD pipeline           ${rate(raw)}`);

    const records = Array.from({ length: N }, (_, i) => ({ topic: 'bench.tx', key: `card-${i % 5000}`, value: event(i) }));
    const pub = await timeIt(async () => {
      for (let s = 0; s < N; s += BATCH) await blocking.publishBatch(records.slice(s, s + BATCH));
    });
    console.log(`publish   blocking publishBatch               ${rate(pub)}  (x${(raw / pub).toFixed(2)} of baseline)`);

    const nb = await timeIt(async () => {
      for (const r of records) nonBlocking.offer('bench.nb', r.key, r.value);
      await nonBlocking.flush(60_000);
    });
    const st = nonBlocking.publisherStats();
    console.log(`publish   non-blocking offer + flush          ${rate(nb)}  (x${(raw / nb).toFixed(2)} of baseline; dropped ${st.dropped})`);

    const c1 = await consumeAll(blocking, 'bench.tx', 1);
    console.log(`consume   1 consumer, no-op handler, acked    ${rate(c1)}  (x${(raw / c1).toFixed(2)} of baseline)`);
    const c2 = await consumeAll(blocking, 'bench.tx', 2);
    console.log(`consume   2 consumers in one group            ${rate(c2)}  (x${(raw / c2).toFixed(2)} of baseline)`);

    const lat = await latency(blocking, 'bench.lat', 1000);
    const q = (p: number): string => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
    console.log(`latency   publish -> handler, 1 event/ms      p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  (n=${lat.length})`);
  } finally {
    await Promise.all([blocking.close(), nonBlocking.close()]);
    let cursor = '0';
    for (let i = 0; i < 100_000; i++) {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
