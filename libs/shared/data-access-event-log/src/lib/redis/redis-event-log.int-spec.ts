import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createEventLog } from '../create-event-log';
import type { EventLog } from '../event-log.types';
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
