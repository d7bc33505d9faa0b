import { Cluster } from 'ioredis';
import { createEventLog } from '../create-event-log';
import type { EventLog } from '../event-log.types';
import { describeEventLogContract } from '../testing/event-log.contract';
import { startOwnedRedis, startOwnedRedisCluster, type OwnedRedisCluster } from '../testing/redis-server.process';

// The same contract on a real 3-master Redis Cluster (test-owned): hash-tagged partition streams spread over the
// shards, per-slot pipelines on publish, per-stream polling reads.
let cluster: OwnedRedisCluster;
beforeAll(async () => {
  cluster = await startOwnedRedisCluster();
}, 30_000);
afterAll(async () => {
  await cluster?.kill();
});

describeEventLogContract('Redis Streams on Redis Cluster', () => {
  const logs: EventLog[] = [];
  return {
    claimIdleMs: 300,
    settleMs: 10_000,
    create: async ({ publishMode = 'blocking', partitions = 4 } = {}) => {
      const log = await createEventLog({ backend: 'redis', redisClusterNodes: cluster.nodes, keyPrefix: 'c', defaultPartitions: partitions, publishMode });
      logs.push(log);
      return log;
    },
    createDownable: async () => {
      // Taking a shared cluster down would break the other tests; a standalone node exercises the same producer path.
      const server = await startOwnedRedis();
      const log = await createEventLog({ backend: 'redis', redisUrl: server.url, keyPrefix: 'c', publishMode: 'non-blocking', fastCommandTimeoutMs: 20 });
      return { log, startsUp: true, takeDown: () => server.kill(), dispose: async () => (await server.kill(), await log.close()) };
    },
    cleanup: async () => {
      await Promise.all(logs.map((l) => l.close()));
    },
  };
});

describe('Redis Cluster key layout', () => {
  it('spreads the partitions of one topic over several shards', async () => {
    const log = await createEventLog({ backend: 'redis', redisClusterNodes: cluster.nodes, keyPrefix: 'layout', defaultPartitions: 8 });
    const probe = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(new URL(n).port) })));
    try {
      await log.publishBatch(Array.from({ length: 200 }, (_, i) => ({ topic: 'spread', key: `k${i}`, value: { i } })));
      const owners = new Set<string>();
      for (let p = 0; p < 8; p++) {
        const key = `layout:{spread:${p}}`;
        expect(await probe.xlen(key)).toBeGreaterThan(0);
        const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', key));
        const slots = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const owner = slots.find(([from, to]) => slot >= from && slot <= to);
        owners.add(String(owner?.[2][1]));
      }
      expect(owners.size).toBeGreaterThan(1);
    } finally {
      probe.disconnect();
      await log.close();
    }
  });
});
