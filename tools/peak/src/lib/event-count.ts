import { randomUUID } from 'node:crypto';
import { createEventLog } from '@risk/event-log';
import { sleep } from './processes';
import type { EventCount } from './peak-report';

/**
 * Reads the whole retained history of `topics` through a fresh consumer group and counts, for every expected id,
 * how many records carry it (`idOf` extracts the id of a record). Bounded by `timeoutMs`.
 */
export async function countEvents(
  redisUrl: string,
  topics: readonly string[],
  expected: readonly string[],
  idOf: (value: Record<string, unknown>) => string | undefined,
  timeoutMs = 20_000,
): Promise<EventCount> {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  const log = await createEventLog({ backend: 'redis', redisUrl, region: 'eu', clientId: 'peak-counter' });
  const group = `peak-count-${randomUUID()}`;
  try {
    const sub = await log.subscribe({
      group,
      consumer: 'c0',
      topics,
      fromBeginning: true,
      batchSize: 500,
      blockMs: 200,
      handler: async (m) => {
        const id = idOf(m.value);
        if (id !== undefined && want.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
      },
    });
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      await sleep(300);
      const lag = await sub.lag();
      if (lag.every((p) => p.lag === 0 && p.pending === 0)) break;
    }
    await sub.stop({ timeoutMs: 2000 });
    return { expected: want.size, unique: seen.size, total: [...seen.values()].reduce((a, b) => a + b, 0) };
  } finally {
    await log.close({ timeoutMs: 2000 }).catch(() => undefined);
  }
}
