import Redis from 'ioredis';

export interface OnlineRedisOptions {
  /** Read path: 10-20 ms (above the loopback/LAN RTT); the write path can afford more. */
  commandTimeoutMs: number;
  connectTimeoutMs?: number;
  /** false on the write path (the consumer may wait for a reconnect; the read path must not). */
  failFast?: boolean;
}

/**
 * ioredis with fail-fast settings: with the defaults a stalled Redis holds requests for seconds and a closed port
 * leaves them pending (see /work/shared/perf-notes.md), which the 60 ms scoring budget cannot absorb.
 */
export function createOnlineRedis(url: string, o: OnlineRedisOptions): Redis {
  const failFast = o.failFast ?? true;
  const redis = new Redis(url, {
    commandTimeout: o.commandTimeoutMs,
    enableOfflineQueue: !failFast,
    maxRetriesPerRequest: failFast ? 1 : 3,
    connectTimeout: o.connectTimeoutMs ?? 1000,
    retryStrategy: (n) => Math.min(50 * n, 1000),
  });
  // Connection errors surface on commands (rejected fast); the 'error' event would otherwise crash the process.
  redis.on('error', () => undefined);
  return redis;
}
