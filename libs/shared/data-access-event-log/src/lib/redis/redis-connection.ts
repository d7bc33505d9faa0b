import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisEventLogSettings } from '../event-log.options';

export type RedisConnection = Redis | Cluster;

/** A standalone connection, or a Cluster client when `redisClusterNodes` is configured. Always lazy. */
export function openRedis(settings: RedisEventLogSettings, options: RedisOptions): RedisConnection {
  const nodes = settings.redisClusterNodes;
  if (nodes && nodes.length > 0) {
    const { enableOfflineQueue, ...redisOptions } = options;
    return new Cluster(nodes.map(parseNode), {
      lazyConnect: true,
      enableOfflineQueue: enableOfflineQueue ?? true,
      enableReadyCheck: true,
      clusterRetryStrategy: options.retryStrategy ?? ((times) => Math.min(100 * times, 2_000)),
      redisOptions,
    });
  }
  return new Redis(settings.redisUrl, { ...options, lazyConnect: true });
}

export function isCluster(conn: RedisConnection): conn is Cluster {
  return conn instanceof Cluster;
}

function parseNode(url: string): { host: string; port: number } {
  const u = new URL(url.includes('://') ? url : `redis://${url}`);
  return { host: u.hostname, port: Number(u.port || 6379) };
}
