import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { CONSUMER_GROUPS, TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import type { EngineEvent } from '@risk/feature-engine';
import { engineEventEnvelope, IngestEventUseCase } from '@risk/feature-ingestion';
import {
  formatFeatureRow,
  handbookColumnIndex,
  handbookFeatureSet,
  handbookLabelEvent,
  handbookTransactionEvent,
  parseHandbookDatetime,
  parseHandbookRow,
} from '@risk/feature-sets';
import type { HandbookColumnIndex, HandbookRawRow } from '@risk/feature-sets';
import { createOnlineRedis, OnlineFeatureReader, OnlineFeatureStore } from '@risk/online-store';

export interface HandbookReplayOptions {
  rawPath: string;
  outPath: string;
  /** YYYY-MM-DD: rows before it are ingested (they build state) but not written. */
  from?: string;
  redisUrl: string;
  region?: string;
  /** Keep the replay's Redis keys (event log streams and online state) afterwards. */
  keep?: boolean;
  /** Read deadline; generous by default (a replay must not serve defaults because the machine is busy). */
  readDeadlineMs?: number;
}

export interface HandbookReplayResult {
  rows: number;
  written: number;
  events: number;
  seconds: number;
  keyPrefix: string;
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  for (let i = 0; i < 1_000_000; i++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
}

/**
 * Handbook CSV through the REAL online path: each transaction (and its label, 7 days later) is published to the
 * event log (Redis Streams), consumed by the feature service's ingest use case (in-process subscription, same code
 * as apps/feature-service), applied to Redis by the online store, and read back by the online reader at the
 * transaction's own time, before the transaction itself is applied (the engine counts the current transaction).
 *
 * Rows sharing one timestamp: the batch semantics ("as of t") include every other transaction at t, so all but the
 * last of such a group are applied first, the last is read before its own apply, the others after (the engine skips
 * their own already-applied event by id). One partition keeps log order = time order.
 */
export async function runHandbookReplay(o: HandbookReplayOptions): Promise<HandbookReplayResult> {
  const started = process.hrtime.bigint();
  const region = o.region ?? 'eu';
  const keyPrefix = `replay-${randomUUID().slice(0, 8)}`;
  const set = handbookFeatureSet;
  const fromTime = o.from ? parseHandbookDatetime(`${o.from} 00:00:00`) : -Infinity;

  const redis = createOnlineRedis(o.redisUrl, { commandTimeoutMs: 5000, failFast: false });
  const store = new OnlineFeatureStore({ redis, set, keyPrefix: `${keyPrefix}-fs`, region });
  const reader = new OnlineFeatureReader({ redis, set, keyPrefix: `${keyPrefix}-fs`, region, deadlineMs: o.readDeadlineMs ?? 5000 });
  const log = await createEventLog({ backend: 'redis', redisUrl: o.redisUrl, keyPrefix: `${keyPrefix}-el`, region, defaultPartitions: 1 });

  let published = 0;
  let applied = 0;
  let waiter: (() => void) | undefined;
  const ingest = new IngestEventUseCase({
    store,
    region,
    acceptEngineEvents: true,
    onApplied: () => {
      applied++;
      if (waiter && applied >= published) waiter();
    },
  });
  const sub = await log.subscribe({
    group: CONSUMER_GROUPS.featureService,
    consumer: 'replay-0',
    topics: [TOPICS.checkoutEvents],
    blockMs: 50,
    maxDeliveries: 1,
    handler: async (m) => void (await ingest.execute(m.value)),
  });
  const dead = () => sub.stats.deadLettered;

  const publish = async (events: readonly EngineEvent[]): Promise<void> => {
    if (events.length === 0) return;
    published += events.length;
    await log.publishBatch(events.map((e) => ({ topic: TOPICS.checkoutEvents, key: e.entities['customer'] ?? e.eventId, value: engineEventEnvelope(region, e) })));
    if (applied >= published) return;
    await new Promise<void>((resolve, reject) => {
      const guard = setInterval(() => {
        if (dead() > 0) {
          clearInterval(guard);
          waiter = undefined;
          reject(new Error('an event of the replay was dead-lettered'));
        }
      }, 200);
      waiter = () => {
        clearInterval(guard);
        waiter = undefined;
        resolve();
      };
    });
  };

  const out = createWriteStream(o.outPath);
  const width = set.featureNames.length;
  let chunk: string[] = [`TRANSACTION_ID,${set.featureNames.join(',')}`];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const text = chunk.join('\n') + '\n';
    chunk = [];
    if (!out.write(text)) await once(out, 'drain');
  };

  const labels: EngineEvent[] = [];
  let labelHead = 0;
  let rows = 0;
  let written = 0;
  const readRow = async (row: HandbookRawRow, tx: EngineEvent): Promise<string> => {
    const r = await reader.read(tx);
    if (r.timedOut) throw new Error(`online read of ${row.transactionId} timed out`);
    return formatFeatureRow(row.transactionId, r.values, width);
  };
  /** Labels due at or before `time` that are not published yet (they precede any read at `time`). */
  const takeDueLabels = (time: number): EngineEvent[] => {
    let due = labelHead;
    while (due < labels.length && labels[due].time <= time) due++;
    const out = labels.slice(labelHead, due);
    labelHead = due;
    if (labelHead > 65536) {
      labels.splice(0, labelHead);
      labelHead = 0;
    }
    return out;
  };
  // One wait per group in the common case: [this transaction + the labels due before the next group] in one batch.
  const processGroup = async (group: HandbookRawRow[], nextTime: number): Promise<void> => {
    const t = group[0].time;
    const txs = group.map(handbookTransactionEvent);
    const wanted = t >= fromTime;
    const lines: string[] = new Array(group.length);
    await publish(txs.slice(0, -1));
    const last = group.length - 1;
    if (wanted) lines[last] = await readRow(group[last], txs[last]);
    for (const r of group) labels.push(handbookLabelEvent(r));
    await publish([txs[last], ...takeDueLabels(nextTime)]);
    if (wanted) for (let i = 0; i < last; i++) lines[i] = await readRow(group[i], txs[i]);
    if (wanted) {
      chunk.push(...lines);
      written += lines.length;
    }
    rows += group.length;
    if (chunk.length >= 4096) await flush();
  };

  try {
    const lines = createInterface({ input: createReadStream(o.rawPath), crlfDelay: Infinity });
    let idx: HandbookColumnIndex | undefined;
    let lineNo = 0;
    let group: HandbookRawRow[] = [];
    for await (const line of lines) {
      lineNo++;
      if (line.length === 0) continue;
      const fields = line.split(',');
      if (!idx) {
        idx = handbookColumnIndex(fields);
        continue;
      }
      const row = parseHandbookRow(fields, idx, lineNo);
      if (group.length > 0 && row.time !== group[0].time) {
        await processGroup(group, row.time);
        group = [];
      }
      group.push(row);
    }
    if (group.length > 0) await processGroup(group, group[0].time);
    await flush();
    out.end();
    await once(out, 'finish');
  } finally {
    await sub.stop({ timeoutMs: 5000 });
    await log.close({ timeoutMs: 5000 });
    if (!o.keep) {
      await deleteByPrefix(redis, `${keyPrefix}-fs`);
      await deleteByPrefix(redis, `${keyPrefix}-el`);
    }
    redis.disconnect();
  }
  return { rows, written, events: published, seconds: Number(process.hrtime.bigint() - started) / 1e9, keyPrefix };
}
