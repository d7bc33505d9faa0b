import { isCluster, openRedis, type RedisConnection } from './redis-connection';
import type { Logger } from '@risk/util-logging';
import { BufferedPublisher } from '../buffered-publisher';
import { EventLogClosedError, EventLogUnavailableError } from '../event-log.errors';
import type { RedisEventLogSettings } from '../event-log.options';
import type { StopOptions, EventHeaders, EventLog, EventRecord, PartitionLag, PublisherStats, SubscribeOptions, Subscription } from '../event-log.types';
import { TopicLayout } from '../topic-layout';
import { RedisSubscription } from './redis-subscription';

/**
 * Event log on Redis Streams: one stream per topic-partition, `<prefix>:{<topic>:<p>}`. The hash tag keeps a
 * partition on one Redis Cluster slot while spreading partitions of one topic over the cluster.
 */
export class RedisEventLog implements EventLog {
  readonly backend = 'redis' as const;
  private readonly layout: TopicLayout;
  private readonly prefix: string;
  private readonly subscriptions = new Set<RedisSubscription>();
  private readonly buffer?: BufferedPublisher;
  private published = 0;
  private closed = false;

  private constructor(
    private readonly settings: RedisEventLogSettings,
    /** Blocking publishes, group admin, lag, CLIENT UNBLOCK. */
    private readonly admin: RedisConnection,
    /** Fail-fast connection behind the non-blocking queue (no offline queue, short command timeout). */
    private readonly fast: RedisConnection | undefined,
    private readonly logger: Logger | undefined,
  ) {
    this.layout = new TopicLayout(settings.defaultPartitions, settings.topics, settings.defaultMaxLen);
    this.prefix = settings.region ? `${settings.keyPrefix}:${settings.region}` : settings.keyPrefix;
    if (fast) {
      this.buffer = new BufferedPublisher({
        ...settings.buffer,
        // Not connected: refuse before building a pipeline that ioredis would reject command by command.
        send: (records) => (fast.status === 'ready' ? this.xaddBatch(fast, records) : Promise.reject(NOT_CONNECTED)),
        onDrop: (count, reason, error) => this.logger?.debug({ count, reason, err: error }, 'event-log records dropped'),
      });
    }
  }

  static async connect(settings: RedisEventLogSettings, logger?: Logger): Promise<RedisEventLog> {
    const admin = openRedis(settings, { maxRetriesPerRequest: 3, connectionName: `${settings.clientId}:event-log` });
    admin.on('error', (err: Error) => logger?.warn({ err: err.message }, 'event-log redis connection error'));
    const fast =
      settings.publishMode === 'non-blocking'
        ? openRedis(settings, {
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            commandTimeout: settings.fastCommandTimeoutMs,
            connectTimeout: 1_000,
            retryStrategy: (times) => Math.min(50 * times, 1_000),
            connectionName: `${settings.clientId}:event-log-fast`,
          })
        : undefined;
    fast?.on('error', (err: Error) => logger?.debug({ err: err.message }, 'event-log fast producer connection error'));
    try {
      await admin.connect();
    } catch (error) {
      if (fast) {
        // Non-blocking logs must boot while Redis is down; both connections keep reconnecting in the background.
        logger?.warn({ err: (error as Error).message }, 'event-log: Redis not reachable yet; publishes drop until it is');
        await fast.connect().catch(() => undefined);
        return new RedisEventLog(settings, admin, fast, logger);
      }
      admin.disconnect();
      throw new EventLogUnavailableError(`Redis event log unreachable at ${redactUrl(settings.redisUrl)}`, error);
    }
    // A non-blocking producer must not fail the boot: it starts dropping (counted) until Redis is back.
    await fast?.connect().catch((err: Error) => logger?.warn({ err: err.message }, 'event-log fast producer not connected yet'));
    return new RedisEventLog(settings, admin, fast, logger);
  }

  streamKey(topic: string, partition: number): string {
    return `${this.prefix}:{${topic}:${partition}}`;
  }

  partitionFor(topic: string, key: string): number {
    return this.layout.partitionFor(topic, key);
  }

  partitionsOf(topic: string): number {
    return this.layout.partitionsOf(topic);
  }

  async publish<V extends object>(topic: string, key: string, value: V, headers?: EventHeaders): Promise<void> {
    await this.publishBatch([{ topic, key, value, headers }]);
  }

  async publishBatch(records: readonly EventRecord<object>[]): Promise<void> {
    if (this.buffer) {
      for (const r of records) this.offer(r.topic, r.key, r.value, r.headers);
      return;
    }
    if (this.closed) throw new EventLogClosedError();
    await this.xaddBatch(this.admin, records);
  }

  offer<V extends object>(topic: string, key: string, value: V, headers?: EventHeaders): boolean {
    if (!this.buffer) {
      // Blocking-mode log: still honour the never-throw contract of offer.
      this.publish(topic, key, value, headers).catch((err: unknown) => this.logger?.warn({ err }, 'event-log offer failed'));
      return true;
    }
    return this.buffer.offer({ topic, key, value, headers });
  }

  async flush(timeoutMs = 2_000): Promise<void> {
    await this.buffer?.drain(timeoutMs);
  }

  publisherStats(): PublisherStats {
    return this.buffer ? this.buffer.stats() : { published: this.published, dropped: 0, buffered: 0 };
  }

  async subscribe<V extends object>(options: SubscribeOptions<V>): Promise<Subscription> {
    if (this.closed) throw new EventLogClosedError();
    const sub = new RedisSubscription(options as unknown as SubscribeOptions, {
      settings: this.settings,
      layout: this.layout,
      streamKey: (t, p) => this.streamKey(t, p),
      admin: this.admin,
      publishDeadLetter: (record) => this.xaddBatch(this.admin, [record]),
      lag: (group, topics) => this.lag(group, topics),
      logger: this.logger,
      onDone: () => this.subscriptions.delete(sub),
    });
    this.subscriptions.add(sub);
    try {
      await sub.start();
    } catch (error) {
      this.subscriptions.delete(sub);
      throw new EventLogUnavailableError('Could not start the Redis event-log subscription', error);
    }
    return sub;
  }

  async lag(group: string, topics: readonly string[]): Promise<PartitionLag[]> {
    const keys = topics.flatMap((topic) => Array.from({ length: this.partitionsOf(topic) }, (_, partition) => ({ topic, partition, key: this.streamKey(topic, partition) })));
    // One call per stream, concurrently: a pipeline cannot span Cluster slots.
    const settle = (p: Promise<unknown>): Promise<[Error | null, unknown]> => p.then((v) => [null, v] as [null, unknown], (e: Error) => [e, null]);
    const replies = await Promise.all(keys.flatMap((k) => [settle(this.admin.call('XINFO', 'GROUPS', k.key)), settle(this.admin.xlen(k.key))]));
    const out: PartitionLag[] = [];
    for (let i = 0; i < keys.length; i++) {
      const [groupsErr, groupsReply] = replies[i * 2] ?? [];
      const [, xlen] = replies[i * 2 + 1] ?? [];
      const length = Number(xlen ?? 0);
      const info = groupsErr ? undefined : findGroup(groupsReply, group);
      if (!info) {
        out.push({ topic: keys[i].topic, partition: keys[i].partition, group, lag: length, pending: 0 });
        continue;
      }
      let lag = info.lag;
      if (lag === null) {
        // Redis cannot compute lag after deletions/trim; count what lies after the last delivered id (bounded).
        const rest = (await this.admin.call('XRANGE', keys[i].key, `(${info.lastDeliveredId}`, '+', 'COUNT', '100000')) as unknown[];
        lag = rest.length;
      }
      out.push({ topic: keys[i].topic, partition: keys[i].partition, group, lag, pending: info.pending });
    }
    return out;
  }

  async close(options: StopOptions = {}): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop({ timeoutMs: options.timeoutMs ?? 30_000 })));
    this.closed = true;
    if (this.buffer) {
      await this.buffer.drain(this.settings.buffer.flushTimeoutMs);
      this.buffer.close();
    }
    await Promise.all([quietly(this.admin), this.fast ? quietly(this.fast) : Promise.resolve()]);
  }

  private async xaddBatch(conn: RedisConnection, records: readonly EventRecord<object>[]): Promise<void> {
    if (records.length === 0) return;
    if (isCluster(conn)) {
      // Cluster pipelines must stay within one slot: one pipeline per partition stream, in parallel.
      const byStream = new Map<string, EventRecord<object>[]>();
      for (const r of records) {
        const key = this.streamKey(r.topic, this.layout.partitionFor(r.topic, r.key));
        byStream.set(key, [...(byStream.get(key) ?? []), r]);
      }
      await Promise.all([...byStream.values()].map((rs) => this.xaddPipeline(conn, rs)));
    } else {
      await this.xaddPipeline(conn, records);
    }
    if (conn === this.admin) this.published += records.length;
  }

  private async xaddPipeline(conn: RedisConnection, records: readonly EventRecord<object>[]): Promise<void> {
    const pipeline = conn.pipeline();
    const now = Date.now();
    for (const r of records) {
      const partition = this.layout.partitionFor(r.topic, r.key);
      const maxLen = this.layout.maxLenOf(r.topic);
      const fields = ['k', r.key, 'v', JSON.stringify(r.value), 't', String(now)];
      if (r.headers && Object.keys(r.headers).length > 0) fields.push('h', JSON.stringify(r.headers));
      pipeline.call('XADD', this.streamKey(r.topic, partition), 'MAXLEN', '~', String(maxLen), '*', ...fields);
    }
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw new EventLogUnavailableError('Redis event log publish failed', error);
    }
    const failed = (replies ?? []).find(([err]) => err);
    if (!replies || failed) throw new EventLogUnavailableError(`Redis event log publish failed: ${failed?.[0]?.message ?? 'no reply'}`, failed?.[0]);
  }
}

const NOT_CONNECTED = new EventLogUnavailableError('Redis event log not connected');

interface GroupInfo {
  pending: number;
  lastDeliveredId: string;
  lag: number | null;
}

function findGroup(reply: unknown, group: string): GroupInfo | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const entry of reply as unknown[][]) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    if (String(fields.get('name')) !== group) continue;
    const lag = fields.get('lag');
    return {
      pending: Number(fields.get('pending') ?? 0),
      lastDeliveredId: String(fields.get('last-delivered-id') ?? '0-0'),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  }
  return undefined;
}

async function quietly(conn: RedisConnection): Promise<void> {
  try {
    if (conn.status === 'ready') await conn.quit();
    else conn.disconnect();
  } catch {
    conn.disconnect();
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
