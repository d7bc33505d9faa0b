/** What the audit needs from ioredis. */
export interface TtlAuditRedis {
  scan(cursor: string | number, matchToken: 'MATCH', pattern: string, countToken: 'COUNT', count: number): Promise<[string, string[]]>;
  pttl(key: string): Promise<number>;
}

export interface TtlAuditReport {
  scanned: number;
  withoutTtl: string[];
  /** True when the scan stopped at `maxKeys` before the keyspace was exhausted. */
  truncated: boolean;
}

/**
 * Online state must expire on its own (retention of the online store = the longest feature window + label delay).
 * Scans keys matching `pattern` and lists those without a TTL; bounded by `maxKeys` so it is safe on a live Redis.
 */
export async function auditOnlineTtls(redis: TtlAuditRedis, pattern: string, maxKeys = 100_000): Promise<TtlAuditReport> {
  let cursor = '0';
  let scanned = 0;
  const withoutTtl: string[] = [];
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      scanned++;
      // -1: no expiry; -2: vanished between SCAN and PTTL (fine)
      if ((await redis.pttl(key)) === -1) withoutTtl.push(key);
      if (scanned >= maxKeys) return { scanned, withoutTtl, truncated: true };
    }
  } while (cursor !== '0');
  return { scanned, withoutTtl, truncated: false };
}
