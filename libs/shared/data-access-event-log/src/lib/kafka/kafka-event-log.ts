import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from '@risk/util-logging';
import { BufferedPublisher } from '../buffered-publisher';
import { deadLetterRecord, deliver, stopWithin, type DeliverContext } from '../deliver';
import { EventLogClosedError, EventLogUnavailableError } from '../event-log.errors';
import type { KafkaEventLogSettings } from '../event-log.options';
import type { StopOptions, DeadLetter, EventHeaders, EventLog, EventMessage, EventRecord, PartitionLag, PublisherStats, SubscribeOptions, Subscription, SubscriptionStats } from '../event-log.types';
import { TopicLayout } from '../topic-layout';

/**
 * Event log on Kafka (kafkajs). Keys go through the default (murmur2) partitioner, the same hash the Redis adapter
 * uses; topics are created on first use with the configured partition count; offsets are committed manually,
 * only after the handler resolved.
 */
export class KafkaEventLog implements EventLog {
  readonly backend = 'kafka' as const;
  private readonly layout: TopicLayout;
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly buffer?: BufferedPublisher;
  private producerReady?: Promise<void>;
  private adminReady?: Promise<void>;
  private published = 0;
  private closed = false;

  private constructor(
    private readonly settings: KafkaEventLogSettings,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly logger: Logger | undefined,
  ) {
    this.layout = new TopicLayout(settings.defaultPartitions, settings.topics);
    if (settings.publishMode === 'non-blocking') {
      this.buffer = new BufferedPublisher({
        ...settings.buffer,
        send: (records) => this.send(records),
        onDrop: (count, reason, error) => this.logger?.debug({ count, reason, err: error }, 'event-log records dropped'),
      });
    }
  }

  static async connect(settings: KafkaEventLogSettings, logger?: Logger): Promise<KafkaEventLog> {
    const kafka = new Kafka({
      clientId: settings.region ? `${settings.clientId}-${settings.region}` : settings.clientId,
      brokers: settings.brokers,
      connectionTimeout: settings.connectionTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => logger?.warn({ kafka: entry.namespace, ...entry.log }, 'kafkajs'),
      // Non-blocking producers give up quickly (the queue drops instead); blocking ones retry a few seconds.
      retry: settings.publishMode === 'non-blocking' ? { retries: 1, initialRetryTime: 50 } : { retries: 4, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, idempotent: false });
    const log = new KafkaEventLog(settings, kafka, admin, producer, logger);
    try {
      await log.connectAdmin();
      await log.connectProducer();
    } catch (error) {
      if (settings.publishMode === 'blocking') {
        await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
        throw new EventLogUnavailableError(`Kafka unreachable at ${settings.brokers.join(',')}`, error);
      }
      logger?.warn({ err: error }, 'event-log: Kafka not reachable yet; non-blocking publishes drop until it is');
    }
    return log;
  }

  partitionFor(topic: string, key: string): number {
    return this.layout.partitionFor(topic, key);
  }

  partitionsOf(topic: string): number {
    return this.layout.partitionsOf(topic);
  }

  /** Creates the topic (and its dead-letter topic) with the configured partition count when missing. */
  ensureTopic(topic: string): Promise<void> {
    let p = this.ensured.get(topic);
    if (!p) {
      p = this.connectAdmin()
        .then(() => this.admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic, numPartitions: this.partitionsOf(topic), replicationFactor: this.settings.replicationFactor }],
        }))
        .then(() => undefined);
      p.catch(() => this.ensured.delete(topic));
      this.ensured.set(topic, p);
    }
    return p;
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
    try {
      await this.send(records);
    } catch (error) {
      throw new EventLogUnavailableError('Kafka publish failed', error);
    }
  }

  offer<V extends object>(topic: string, key: string, value: V, headers?: EventHeaders): boolean {
    if (!this.buffer) {
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
    await Promise.all(options.topics.map((t) => this.ensureTopic(t)));
    const sub = new KafkaSubscription(options as unknown as SubscribeOptions, this.kafka, this.settings, {
      publishDeadLetter: (record) => this.send([record]),
      lag: (group, topics) => this.lag(group, topics),
      logger: this.logger,
      onDone: () => this.subscriptions.delete(sub),
    });
    this.subscriptions.add(sub);
    try {
      await sub.start();
    } catch (error) {
      this.subscriptions.delete(sub);
      throw new EventLogUnavailableError('Could not start the Kafka event-log subscription', error);
    }
    return sub;
  }

  async lag(group: string, topics: readonly string[]): Promise<PartitionLag[]> {
    const committed = await this.admin.fetchOffsets({ groupId: group, topics: [...topics] });
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const c = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
        const from = c < 0 ? Number(end.low) : c;
        out.push({ topic, partition: end.partition, group, lag: Math.max(0, Number(end.high) - from), pending: 0 });
      }
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
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private connectAdmin(): Promise<void> {
    if (!this.adminReady) {
      this.adminReady = this.admin.connect();
      this.adminReady.catch(() => (this.adminReady = undefined));
    }
    return this.adminReady;
  }

  private connectProducer(): Promise<void> {
    if (!this.producerReady) {
      this.producerReady = this.producer.connect();
      this.producerReady.catch(() => (this.producerReady = undefined));
    }
    return this.producerReady;
  }

  private async send(records: readonly EventRecord<object>[]): Promise<void> {
    if (records.length === 0) return;
    await this.connectProducer();
    const byTopic = new Map<string, EventRecord<object>[]>();
    for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    await Promise.all([...byTopic.keys()].map((t) => this.ensureTopic(t)));
    const timestamp = String(Date.now());
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, rs]) => ({
        topic,
        messages: rs.map((r) => ({ key: r.key, value: JSON.stringify(r.value), headers: r.headers, timestamp })),
      })),
    });
    this.published += records.length;
  }
}

interface KafkaSubscriptionDeps {
  publishDeadLetter: (record: EventRecord<DeadLetter>) => Promise<void>;
  lag: (group: string, topics: readonly string[]) => Promise<PartitionLag[]>;
  logger?: Logger;
  onDone: () => void;
}

class KafkaSubscription implements Subscription {
  readonly stats: SubscriptionStats = { handled: 0, failedAttempts: 0, deadLettered: 0, claimed: 0 };
  private readonly consumer: Consumer;
  private readonly ctx: DeliverContext;
  private state: 'running' | 'stopping' | 'aborted' | 'stopped' = 'running';

  constructor(
    private readonly options: SubscribeOptions,
    kafka: Kafka,
    settings: KafkaEventLogSettings,
    private readonly deps: KafkaSubscriptionDeps,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.group,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 5)),
      maxWaitTimeInMs: options.blockMs ?? 1_000,
      allowAutoTopicCreation: false,
    });
    this.ctx = {
      group: options.group,
      consumer: options.consumer,
      maxDeliveries: options.maxDeliveries ?? 3,
      retryBackoffMs: options.retryBackoffMs ?? 10,
      stats: this.stats,
      aborted: () => this.state === 'aborted',
      publishDeadLetter: deps.publishDeadLetter,
      onError: (message, err) => deps.logger?.warn({ err, topic: message.topic, partition: message.partition, id: message.id }, 'event handler failed'),
    };
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning !== false });
    const commitEvery = this.options.batchSize ?? 100;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        let uncommitted: string | undefined;
        let sinceCommit = 0;
        const commit = async (): Promise<void> => {
          if (uncommitted === undefined || this.state === 'aborted') return;
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(uncommitted) + 1n).toString() }]);
          uncommitted = undefined;
          sinceCommit = 0;
        };
        try {
          for (const m of batch.messages) {
            if (!isRunning() || isStale() || this.state !== 'running') break;
            const { message, malformed } = toMessage(batch.topic, batch.partition, m);
            if (malformed) {
              await this.deps.publishDeadLetter(deadLetterRecord(message, malformed, this.ctx));
              this.stats.deadLettered++;
            } else if ((await deliver(message, this.options.handler, this.ctx)) === 'aborted') {
              return;
            }
            resolveOffset(m.offset);
            uncommitted = m.offset;
            if (++sinceCommit >= commitEvery) await commit();
            await heartbeat();
          }
        } finally {
          // After a rebalance the commit can be refused; the messages are then redelivered (at-least-once).
          await commit().catch((err: unknown) => this.deps.logger?.warn({ err, topic: batch.topic, partition: batch.partition }, 'event-log: offset commit failed'));
        }
      },
    });
  }

  stop(options: StopOptions = {}): Promise<void> {
    return stopWithin(() => this.drainAndStop(), () => this.abort(), options.timeoutMs);
  }

  private async drainAndStop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    await this.consumer.stop();
    await this.consumer.disconnect();
    if (this.state !== 'stopping') return;
    this.state = 'stopped';
    this.deps.onDone();
  }

  async abort(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'aborted') return;
    // (also reached from a stop() whose deadline passed: state 'stopping')
    this.state = 'aborted';
    // A hung handler would hold disconnect forever; the broker's session timeout rebalances the partitions anyway.
    await Promise.race([this.consumer.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
    this.deps.onDone();
  }

  lag(): Promise<PartitionLag[]> {
    return this.deps.lag(this.options.group, this.options.topics);
  }
}

function toMessage(topic: string, partition: number, m: KafkaMessage): { message: EventMessage; malformed?: Error } {
  let value: Record<string, unknown>;
  let malformed: Error | undefined;
  try {
    value = JSON.parse(m.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
  } catch (error) {
    value = { raw: m.value?.toString('utf8') ?? null };
    malformed = Object.assign(new Error(`value is not JSON: ${(error as Error).message}`), { code: 'EVENT_MALFORMED' });
  }
  const message: EventMessage = {
    topic,
    partition,
    id: m.offset,
    key: m.key?.toString('utf8') ?? '',
    value,
    headers: stringHeaders(m.headers),
    timestamp: Number(m.timestamp),
    deliveryCount: 1,
  };
  return { message, malformed };
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}
