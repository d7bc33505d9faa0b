import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createEventLog } from '../create-event-log';
import { dlqTopicOf, type DeadLetter, type EventLog } from '../event-log.types';
import { describeEventLogContract, offerAndPublish, percentile } from '../testing/event-log.contract';
import { waitFor } from '../testing/wait-for';
import { startOwnedRedis } from '../testing/redis-server.process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function deleteByPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

describeEventLogContract('Redis Streams', () => {
  const keyPrefix = `test-el-${randomUUID().slice(0, 8)}`;
  const logs: EventLog[] = [];
  return {
    claimIdleMs: 300,
    settleMs: 10_000,
    create: async ({ publishMode = 'blocking', partitions = 4 } = {}) => {
      const log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, defaultPartitions: partitions, publishMode });
      logs.push(log);
      return log;
    },
    createDownable: async () => {
      const server = await startOwnedRedis();
      const log = await createEventLog({ backend: 'redis', redisUrl: server.url, keyPrefix, defaultPartitions: 4, publishMode: 'non-blocking', fastCommandTimeoutMs: 20 });
      return {
        log,
        startsUp: true,
        takeDown: () => server.kill(),
        dispose: async () => {
          await server.kill();
          await log.close();
        },
      };
    },
    cleanup: async () => {
      await Promise.all(logs.map((l) => l.close()));
      await deleteByPrefix(keyPrefix);
    },
  };
});

describe('Redis event log, non-blocking producer against a hung Redis (SIGSTOP)', () => {
  it('keeps offers sub-millisecond, drops after the fail-fast timeout, and recovers when Redis resumes', async () => {
    const server = await startOwnedRedis();
    const log = await createEventLog({
      backend: 'redis',
      redisUrl: server.url,
      keyPrefix: 'hung',
      publishMode: 'non-blocking',
      fastCommandTimeoutMs: 20,
      buffer: { maxBuffered: 500, maxBatch: 100, flushTimeoutMs: 100 },
    });
    try {
      server.pause();
      const timings = await offerAndPublish(log, 'orders', 1000);
      await log.flush(3000);
      const down = log.publisherStats();
      expect(percentile(timings, 0.5)).toBeLessThan(0.5);
      expect(percentile(timings, 0.99)).toBeLessThan(5);
      expect(down.buffered).toBe(0);
      expect(down.published).toBe(0);
      expect(down.dropped).toBe(2000);

      server.resume();
      await waitFor(async () => {
        log.offer('orders', 'k', { probe: true });
        await log.flush(500);
        return log.publisherStats().published > 0;
      }, 5000, 'publishing to resume');
      const check = new Redis(server.url);
      try {
        const lengths = await Promise.all(Array.from({ length: 8 }, (_, p) => check.xlen(`hung:{orders:${p}}`)));
        expect(lengths.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(log.publisherStats().published);
      } finally {
        check.disconnect();
      }
    } finally {
      await server.kill();
      await log.close();
    }
  });
});

describe('Redis event log, crash recovery specifics', () => {
  const keyPrefix = `test-elr-${randomUUID().slice(0, 8)}`;
  let log: EventLog;
  beforeAll(async () => {
    log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, defaultPartitions: 2 });
  });
  afterAll(async () => {
    await log.close();
    await deleteByPrefix(keyPrefix);
  });

  it('a consumer restarted under the same name gets its own pending messages at once, with their delivery count', async () => {
    const t = `own-${randomUUID().slice(0, 6)}`;
    let hung = false;
    const a = await log.subscribe({
      group: 'g', consumer: 'a', topics: [t], blockMs: 50, claimIdleMs: 60_000,
      handler: () => ((hung = true), new Promise<void>(() => undefined)),
    });
    await log.publish(t, 'k', { n: 1 });
    await waitFor(() => hung, 5000, 'a to hang');
    await a.abort();
    const got: number[] = [];
    const again = await log.subscribe({ group: 'g', consumer: 'a', topics: [t], blockMs: 50, claimIdleMs: 60_000, handler: async (m) => void got.push(m.deliveryCount) });
    try {
      await waitFor(() => got.length === 1, 5000, 'the pending message, long before the 60 s claim timeout');
      expect(got[0]).toBe(2);
      await waitFor(async () => (await log.lag('g', [t])).every((l) => l.pending === 0 && l.lag === 0), 5000, 'acked');
    } finally {
      await again.stop();
    }
  });

  it('parks a message that keeps killing its consumers in the DLQ without running the handler again', async () => {
    const t = `killer-${randomUUID().slice(0, 6)}`;
    const calls: number[] = [];
    const runConsumerThatDies = async (name: string): Promise<void> => {
      const before = calls.length;
      const sub = await log.subscribe<{ n: number }>({
        group: 'g', consumer: name, topics: [t], blockMs: 50, claimIdleMs: 150, maxDeliveries: 2,
        handler: (m) => (calls.push(m.deliveryCount), new Promise<void>(() => undefined)),
      });
      await waitFor(() => calls.length > before, 5000, `${name} to take the killer message`);
      await sub.abort();
    };
    await log.publish(t, 'k', { n: 1 });
    await runConsumerThatDies('a');
    await runConsumerThatDies('b');
    expect(calls).toEqual([1, 2]);
    const dead: { deliveryCount: number; message: string }[] = [];
    const dlq = await log.subscribe<DeadLetter>({
      group: 'dlq', consumer: 'r', topics: [dlqTopicOf(t)], blockMs: 50,
      handler: async (m) => void dead.push({ deliveryCount: m.value.original.deliveryCount, message: m.value.error.message }),
    });
    const survivor = await log.subscribe({ group: 'g', consumer: 'c', topics: [t], blockMs: 50, claimIdleMs: 150, maxDeliveries: 2, handler: async (m) => void calls.push(m.deliveryCount) });
    try {
      await waitFor(() => dead.length === 1, 5000, 'the dead letter');
      expect(dead[0]).toEqual({ deliveryCount: 3, message: 'exceeded 2 deliveries without an ack' });
      expect(calls).toEqual([1, 2]);
      expect(survivor.stats.deadLettered).toBe(1);
    } finally {
      await Promise.all([dlq.stop(), survivor.stop()]);
    }
  });

  it('static assignment splits partitions between consumers by index, so per-key order holds across the group', async () => {
    const t = `assign-${randomUUID().slice(0, 6)}`;
    const wide = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, defaultPartitions: 4 });
    const got = [new Map<string, number[]>(), new Map<string, number[]>()];
    const partitionsSeen = [new Set<number>(), new Set<number>()];
    const subs = await Promise.all(
      [0, 1].map((index) =>
        wide.subscribe<{ seq: number }>({
          group: 'g', consumer: `c${index}`, topics: [t], blockMs: 50, batchSize: 7, assignment: { index, count: 2 },
          handler: async (m) => {
            partitionsSeen[index].add(m.partition);
            got[index].set(m.key, [...(got[index].get(m.key) ?? []), m.value.seq]);
          },
        }),
      ),
    );
    try {
      const records = Array.from({ length: 400 }, (_, i) => ({ topic: t, key: `key-${i % 16}`, value: { seq: i } }));
      await wide.publishBatch(records);
      const count = (): number => got.reduce((n, m) => n + [...m.values()].reduce((a, v) => a + v.length, 0), 0);
      await waitFor(() => count() === 400, 10_000, 'all 400 records');
      expect([...partitionsSeen[0]].sort()).toEqual([0, 2]);
      expect([...partitionsSeen[1]].sort()).toEqual([1, 3]);
      for (let k = 0; k < 16; k++) {
        const key = `key-${k}`;
        const owner = got[0].has(key) ? got[0] : got[1];
        expect(got[0].has(key) && got[1].has(key)).toBe(false);
        expect(owner.get(key)).toEqual(records.filter((r) => r.key === key).map((r) => r.value.seq));
      }
    } finally {
      await Promise.all(subs.map((s) => s.stop()));
      await wide.close();
    }
  });

  it('uses one stream per topic-partition with a Cluster hash tag, trimmed with MAXLEN ~', async () => {
    const t = `layout-${randomUUID().slice(0, 6)}`;
    const small = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, region: 'eu', defaultPartitions: 2, topics: { [t]: { maxLen: 100 } } });
    const redis = new Redis(REDIS_URL);
    try {
      await small.publishBatch(Array.from({ length: 3000 }, (_, i) => ({ topic: t, key: `k${i}`, value: { i } })));
      const keys = [0, 1].map((p) => `${keyPrefix}:eu:{${t}:${p}}`);
      const lens = await Promise.all(keys.map((k) => redis.xlen(k)));
      for (const len of lens) {
        expect(len).toBeGreaterThan(0);
        expect(len).toBeLessThan(1500);
      }
    } finally {
      redis.disconnect();
      await small.close();
    }
  });
});

describe('Redis event log, consumer process killed with SIGKILL mid-stream', () => {
  const keyPrefix = `test-elk-${randomUUID().slice(0, 8)}`;
  afterAll(() => deleteByPrefix(keyPrefix));

  it('loses nothing: everything the dead process did not ack is handled by the survivor', async () => {
    const topic = 'kill9';
    const n = 300;
    const log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, defaultPartitions: 2 });
    const child = spawn(process.execPath, ['-r', './tools/node/register.js', 'libs/shared/data-access-event-log/src/lib/testing/consumer-process.fixture.ts', REDIS_URL, keyPrefix, topic, 'g', 'doomed', '2', '150'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const handledByChild = new Set<number>();
    let ready = false;
    let stuck = false;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line === 'stuck') stuck = true;
        else if (line.startsWith('handled ')) handledByChild.add(Number(line.slice(8)));
      }
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await waitFor(() => ready, 30_000, 'the consumer process to subscribe', 50);
      await log.publishBatch(Array.from({ length: n }, (_, seq) => ({ topic, key: `k${seq % 7}`, value: { seq } })));
      await waitFor(() => stuck, 20_000, 'the child to be mid-update of event 150');
      await new Promise((r) => setTimeout(r, 50)); // let its other partition run on a little
      child.kill('SIGKILL');
      await exited;
      const pendingAfterKill = (await log.lag('g', [topic])).reduce((s, l) => s + l.pending, 0);
      expect(pendingAfterKill).toBeGreaterThan(0);
      expect(handledByChild.has(150)).toBe(false);

      const handledBySurvivor = new Set<number>();
      const survivor = await log.subscribe<{ seq: number }>({
        group: 'g', consumer: 'survivor', topics: [topic], blockMs: 50, claimIdleMs: 300,
        handler: async (m) => void handledBySurvivor.add(m.value.seq),
      });
      try {
        await waitFor(() => new Set([...handledByChild, ...handledBySurvivor]).size === n, 15_000, 'every event handled by someone');
        await waitFor(async () => (await log.lag('g', [topic])).every((l) => l.lag === 0 && l.pending === 0), 5_000, 'all acked');
        // Each event was handled at least once; re-handled ones are exactly those the child applied but had not acked yet.
        const both = [...handledBySurvivor].filter((s) => handledByChild.has(s));
        expect(both.length).toBeLessThanOrEqual(10 * 2);
      } finally {
        await survivor.stop();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await log.close();
    }
  }, 60_000);
});

describe('Redis event log boot against an unreachable Redis', () => {
  const closedPort = 'redis://127.0.0.1:1';

  it('fails fast in blocking mode with a typed error', async () => {
    const t0 = Date.now();
    await expect(createEventLog({ backend: 'redis', redisUrl: closedPort })).rejects.toMatchObject({ code: 'EVENT_LOG_UNAVAILABLE', kind: 'unavailable' });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('boots in non-blocking mode and counts what it cannot send', async () => {
    const log = await createEventLog({ backend: 'redis', redisUrl: closedPort, publishMode: 'non-blocking' });
    try {
      expect(log.offer('t', 'k', { a: 1 })).toBe(true);
      await log.publish('t', 'k', { a: 2 });
      await log.flush(2_000);
      expect(log.publisherStats()).toEqual({ published: 0, dropped: 2, buffered: 0 });
    } finally {
      await log.close();
    }
  });

  it('a non-blocking log booted while Redis was down starts publishing once it is up', async () => {
    const first = await startOwnedRedis();
    await first.kill();
    const log = await createEventLog({ backend: 'redis', redisUrl: first.url, keyPrefix: 'late', publishMode: 'non-blocking' });
    const server = await startOwnedRedis(first.port);
    try {
      await waitFor(async () => {
        log.offer('t', 'k', { late: true });
        await log.flush(1_000);
        return log.publisherStats().published > 0;
      }, 10_000, 'publishes to get through after Redis came up', 100);
      const check = new Redis(server.url);
      const lens = await Promise.all(Array.from({ length: 8 }, (_, p) => check.xlen(`late:{t:${p}}`)));
      check.disconnect();
      expect(lens.reduce((a, b) => a + b, 0)).toBe(log.publisherStats().published);
    } finally {
      await log.close();
      await server.kill();
    }
  });
});
