import { isCluster, openRedis, type RedisConnection } from './redis-connection';
import type { Logger } from '@risk/util-logging';
import { deadLetterRecord, deliver, sleep, stopWithin, type DeliverContext } from '../deliver';
import type { RedisEventLogSettings } from '../event-log.options';
import type { DeadLetter, EventMessage, EventRecord, PartitionLag, StopOptions, SubscribeOptions, Subscription, SubscriptionStats } from '../event-log.types';
import type { TopicLayout } from '../topic-layout';

export interface RedisSubscriptionDeps {
  settings: RedisEventLogSettings;
  layout: TopicLayout;
  streamKey: (topic: string, partition: number) => string;
  admin: RedisConnection;
  publishDeadLetter: (record: EventRecord<DeadLetter>) => Promise<void>;
  lag: (group: string, topics: readonly string[]) => Promise<PartitionLag[]>;
  logger?: Logger;
  onDone: () => void;
}

interface StreamRef {
  topic: string;
  partition: number;
  key: string;
}

type RawEntry = [string, string[] | null];

/**
 * One consumer of a group. Reads its partitions' streams with XREADGROUP on a dedicated connection, runs each
 * partition's messages in order (partitions in parallel), XACKs only after the handler resolved, and periodically
 * XAUTOCLAIMs messages left pending by dead consumers.
 */
export class RedisSubscription implements Subscription {
  readonly stats: SubscriptionStats = { handled: 0, failedAttempts: 0, deadLettered: 0, claimed: 0 };
  private readonly conn: RedisConnection;
  /** Cluster: streams live on different slots, so reads are per stream and poll instead of one multi-key BLOCK. */
  private readonly polling: boolean;
  private readonly streams: StreamRef[];
  private readonly byKey = new Map<string, StreamRef>();
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly ctx: DeliverContext;
  private state: 'new' | 'running' | 'stopping' | 'aborted' | 'stopped' = 'new';
  private clientId?: number;
  private blocked = false;
  private loop?: Promise<void>;
  private nextClaimAt = 0;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly deps: RedisSubscriptionDeps,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.blockMs = options.blockMs ?? 1_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    const { assignment } = options;
    this.streams = options.topics.flatMap((topic) =>
      Array.from({ length: deps.layout.partitionsOf(topic) }, (_, partition) => ({ topic, partition, key: deps.streamKey(topic, partition) })),
    ).filter((s) => !assignment || s.partition % assignment.count === assignment.index);
    for (const s of this.streams) this.byKey.set(s.key, s);
    this.conn = openRedis(deps.settings, {
      maxRetriesPerRequest: null,
      connectionName: `${deps.settings.clientId}:event-log:${options.group}:${options.consumer}`,
    });
    this.polling = isCluster(this.conn);
    this.conn.on('error', (err: Error) => deps.logger?.warn({ err: err.message, group: options.group }, 'event-log consumer connection error'));
    this.ctx = {
      group: options.group,
      consumer: options.consumer,
      maxDeliveries: options.maxDeliveries ?? 3,
      retryBackoffMs: options.retryBackoffMs ?? 10,
      stats: this.stats,
      aborted: () => this.state === 'aborted',
      publishDeadLetter: deps.publishDeadLetter,
      onError: (message, err) =>
        deps.logger?.warn({ err, topic: message.topic, partition: message.partition, id: message.id, deliveryCount: message.deliveryCount }, 'event handler failed'),
    };
  }

  async start(): Promise<void> {
    await this.conn.connect();
    if (!isCluster(this.conn)) this.clientId = Number(await this.conn.client('ID'));
    await this.ensureGroups();
    this.state = 'running';
    this.nextClaimAt = Date.now() + Math.min(this.claimIdleMs, 1_000);
    this.loop = this.run();
  }

  stop(options: StopOptions = {}): Promise<void> {
    return stopWithin(() => this.drainAndStop(), () => this.abort(), options.timeoutMs);
  }

  private async drainAndStop(): Promise<void> {
    if (this.state === 'running') {
      this.state = 'stopping';
      await this.unblock();
    }
    await this.loop;
    if (this.state === 'stopping') await this.finish();
  }

  async abort(): Promise<void> {
    if (this.state === 'running' || this.state === 'stopping') this.state = 'aborted';
    // Dropping the connection is the crash: nothing in flight gets acked, the PEL keeps it for others to claim.
    this.conn.disconnect();
    await this.finish();
  }

  lag(): Promise<PartitionLag[]> {
    return this.deps.lag(this.options.group, this.options.topics);
  }

  private async finish(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasAborted = this.state === 'aborted';
    this.state = 'stopped';
    if (!wasAborted && this.conn.status === 'ready') await this.conn.quit().catch(() => this.conn.disconnect());
    else this.conn.disconnect();
    this.deps.onDone();
  }

  private async unblock(): Promise<void> {
    if (!this.blocked || this.clientId === undefined) return;
    // Wakes a blocked XREADGROUP as if it timed out, so no message is handed to a consumer that is leaving.
    await this.deps.admin.client('UNBLOCK', this.clientId, 'TIMEOUT').catch(() => undefined);
  }

  private async ensureGroups(): Promise<void> {
    const start = this.options.fromBeginning === false ? '$' : '0';
    for (const s of this.streams) {
      try {
        await this.conn.call('XGROUP', 'CREATE', s.key, this.options.group, start, 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
      }
    }
  }

  private running(): boolean {
    return this.state === 'running';
  }

  private async run(): Promise<void> {
    let backoff = 100;
    try {
      await this.recoverOwnPending();
    } catch (error) {
      this.deps.logger?.warn({ err: error }, 'event-log: recovering own pending messages failed; left to XAUTOCLAIM');
    }
    while (this.running()) {
      try {
        if (Date.now() >= this.nextClaimAt) {
          await this.claimStale();
          this.nextClaimAt = Date.now() + Math.max(100, Math.floor(this.claimIdleMs / 2));
          if (!this.running()) break;
        }
        const reply = await this.read();
        if (reply) await this.process(reply, false);
        backoff = 100;
      } catch (error) {
        if (!this.running()) break;
        const message = String((error as Error).message);
        this.deps.logger?.warn({ err: message, group: this.options.group }, 'event-log consumer loop error');
        if (message.includes('NOGROUP')) await this.ensureGroups().catch(() => undefined);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  private async read(): Promise<unknown> {
    if (this.polling) return this.pollRead();
    const blockMs = Math.max(1, Math.min(this.blockMs, this.nextClaimAt - Date.now()));
    this.blocked = true;
    try {
      return await this.conn.call(
        'XREADGROUP', 'GROUP', this.options.group, this.options.consumer, 'COUNT', String(this.batchSize), 'BLOCK', String(blockMs),
        'STREAMS', ...this.streams.map((s) => s.key), ...this.streams.map(() => '>'),
      );
    } finally {
      this.blocked = false;
    }
  }

  private async pollRead(): Promise<unknown> {
    const deadline = Date.now() + Math.max(1, Math.min(this.blockMs, this.nextClaimAt - Date.now()));
    while (this.running()) {
      const replies = await Promise.all(
        this.streams.map((s) => this.conn.call('XREADGROUP', 'GROUP', this.options.group, this.options.consumer, 'COUNT', String(this.batchSize), 'STREAMS', s.key, '>')),
      );
      const merged = replies.flatMap((r) => (Array.isArray(r) ? (r as unknown[]) : []));
      if (merged.length > 0 || Date.now() >= deadline) return merged;
      await sleep(Math.min(25, this.blockMs));
    }
    return null;
  }

  /** After a restart under the same consumer name, our own PEL is delivered again before anything new. */
  private async recoverOwnPending(): Promise<void> {
    for (const s of this.streams) {
      let cursor = '0';
      for (let round = 0; round < 10_000 && this.running(); round++) {
        const reply = await this.conn.call('XREADGROUP', 'GROUP', this.options.group, this.options.consumer, 'COUNT', String(this.batchSize), 'STREAMS', s.key, cursor);
        const entries = parseRead(reply).get(s.key) ?? [];
        if (entries.length === 0) break;
        cursor = entries[entries.length - 1][0];
        await this.process(reply, true);
      }
    }
  }

  private async claimStale(): Promise<void> {
    for (const s of this.streams) {
      let cursor = '0-0';
      for (let page = 0; page < 100 && this.running(); page++) {
        const reply = (await this.conn.call(
          'XAUTOCLAIM', s.key, this.options.group, this.options.consumer, String(this.claimIdleMs), cursor, 'COUNT', String(this.batchSize),
        )) as [string, RawEntry[], string[]?];
        cursor = reply[0];
        const entries = (reply[1] ?? []).filter((e) => e && e[1] !== null);
        if (entries.length > 0) {
          this.stats.claimed += entries.length;
          await this.process([[s.key, entries]], true);
        }
        if (cursor === '0-0') break;
      }
    }
  }

  /** `redelivered`: entries came from a PEL (own history or claimed) and carry a delivery count worth reading. */
  private async process(reply: unknown, redelivered: boolean): Promise<void> {
    const perStream = parseRead(reply);
    await Promise.all(
      [...perStream].map(async ([key, entries]) => {
        const stream = this.byKey.get(key);
        if (!stream) return;
        const counts = redelivered ? await this.deliveryCounts(key, entries) : undefined;
        const done: string[] = [];
        try {
          for (const [id, fields] of entries) {
            if (fields === null) {
              done.push(id); // trimmed away while pending: ack so it leaves the PEL
              continue;
            }
            if (this.state === 'aborted') return;
            const { message, malformed } = toMessage(stream, id, fields, counts?.get(id) ?? 1);
            if (malformed) {
              await this.deps.publishDeadLetter(deadLetterRecord(message, malformed, this.ctx));
              this.stats.deadLettered++;
              done.push(id);
              continue;
            }
            if (message.deliveryCount > this.ctx.maxDeliveries) {
              // Delivered too often without an ack: its handler likely crashes the consumer. Park it.
              await this.deps.publishDeadLetter(
                deadLetterRecord(message, new Error(`exceeded ${this.ctx.maxDeliveries} deliveries without an ack`), this.ctx),
              );
              this.stats.deadLettered++;
              done.push(id);
              continue;
            }
            const outcome = await deliver(message, this.options.handler, this.ctx);
            if (outcome === 'aborted') return;
            done.push(id);
          }
        } catch (error) {
          // Dead-letter publish failed: stop this partition here to keep its order; the rest is redelivered later.
          this.deps.logger?.error({ err: error, stream: key }, 'event-log: could not dead-letter a message');
        } finally {
          if (done.length > 0 && this.state !== 'aborted') await this.conn.call('XACK', key, this.options.group, ...done);
        }
      }),
    );
  }

  private async deliveryCounts(key: string, entries: RawEntry[]): Promise<Map<string, number>> {
    const ids = entries.map((e) => e[0]);
    const reply = (await this.conn.call('XPENDING', key, this.options.group, ids[0], ids[ids.length - 1], String(ids.length * 4), this.options.consumer)) as [
      string,
      string,
      number,
      number,
    ][];
    return new Map(reply.map(([id, , , count]) => [id, Number(count)]));
  }
}

function parseRead(reply: unknown): Map<string, RawEntry[]> {
  const out = new Map<string, RawEntry[]>();
  if (!Array.isArray(reply)) return out;
  for (const [key, entries] of reply as [string, RawEntry[]][]) out.set(String(key), entries ?? []);
  return out;
}

class MalformedEventError extends Error {
  readonly code = 'EVENT_MALFORMED';
}

function toMessage(stream: StreamRef, id: string, fields: string[], deliveryCount: number): { message: EventMessage; malformed?: Error } {
  let malformed: Error | undefined;
  let key = '';
  let value: Record<string, unknown> = {};
  let headers: Record<string, string> = {};
  let timestamp = Number(id.slice(0, id.indexOf('-')));
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const f = fields[i];
    const v = fields[i + 1];
    if (f === 'k') key = v;
    else if (f === 'v' || f === 'h') {
      try {
        if (f === 'v') value = JSON.parse(v) as Record<string, unknown>;
        else headers = JSON.parse(v) as Record<string, string>;
      } catch (error) {
        malformed = new MalformedEventError(`field ${f} is not JSON: ${(error as Error).message}`);
        if (f === 'v') value = { raw: v };
      }
    }
    else if (f === 't') timestamp = Number(v);
  }
  return { message: { topic: stream.topic, partition: stream.partition, id, key, value, headers, timestamp, deliveryCount: Math.max(1, deliveryCount) }, malformed };
}
