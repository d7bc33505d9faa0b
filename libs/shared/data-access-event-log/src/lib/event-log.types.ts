/** Message headers travel as strings so both backends (Redis fields, Kafka headers) carry them losslessly. */
export type EventHeaders = Record<string, string>;

export interface EventRecord<V extends object = Record<string, unknown>> {
  topic: string;
  /** Entity key: decides the partition, and so the ordering scope. */
  key: string;
  value: V;
  headers?: EventHeaders;
}

export interface EventMessage<V extends object = Record<string, unknown>> {
  topic: string;
  partition: number;
  /** Backend position: Redis stream id (`<ms>-<seq>`) or the Kafka offset as a decimal string. */
  id: string;
  key: string;
  value: V;
  headers: EventHeaders;
  /** Producer time, epoch ms. */
  timestamp: number;
  /** 1 on first delivery; grows with retries and with redeliveries after a consumer crash. */
  deliveryCount: number;
}

export type EventHandler<V extends object = Record<string, unknown>> = (message: EventMessage<V>) => Promise<void>;

export interface SubscribeOptions<V extends object = Record<string, unknown>> {
  group: string;
  /** Unique per running consumer instance (e.g. hostname-pid). Reusing it after a restart recovers its own pending messages at once. */
  consumer: string;
  topics: readonly string[];
  handler: EventHandler<V>;
  /** Messages fetched per read. Default 100. */
  batchSize?: number;
  /** How long one read blocks waiting for new messages. Default 1000 ms. */
  blockMs?: number;
  /** Attempts per message before it goes to `<topic>.dlq`. Default 3. */
  maxDeliveries?: number;
  /** Pause between in-place retries of a failing message. Default 10 ms. */
  retryBackoffMs?: number;
  /** Redis: pending messages idle this long (their consumer presumably died) are claimed. Default 30000 ms. */
  claimIdleMs?: number;
  /** Read only from the start of retained history when the group is new (default true), otherwise only new messages. */
  fromBeginning?: boolean;
  /**
   * Redis only: static partition assignment (`partition % count === index`), e.g. from a StatefulSet ordinal.
   * Without it every consumer reads every partition and Redis balances per message (see README).
   */
  assignment?: { index: number; count: number };
}

export interface PartitionLag {
  topic: string;
  partition: number;
  group: string;
  /** Messages not yet delivered to the group. */
  lag: number;
  /** Delivered but not acknowledged (Redis PEL size; always 0 for Kafka, which has no per-message acks). */
  pending: number;
}

export interface SubscriptionStats {
  handled: number;
  failedAttempts: number;
  deadLettered: number;
  claimed: number;
}

export interface StopOptions {
  timeoutMs?: number;
}

export interface Subscription {
  /**
   * Graceful: stops fetching, lets in-flight messages finish and commits them, then returns. With `timeoutMs`,
   * in-flight work still running after it is abandoned as in `abort()` (e.g. within a pod's termination grace).
   */
  stop(options?: StopOptions): Promise<void>;
  /** Abrupt: stops at once without committing in-flight messages; they will be redelivered to the group. */
  abort(): Promise<void>;
  lag(): Promise<PartitionLag[]>;
  readonly stats: Readonly<SubscriptionStats>;
}

export interface PublisherStats {
  /** Records the backend acknowledged. */
  published: number;
  /** Records dropped in non-blocking mode (queue full, or the backend refused / timed out). */
  dropped: number;
  /** Records waiting in the non-blocking queue. */
  buffered: number;
}

export interface EventLog {
  readonly backend: 'redis' | 'kafka';
  /**
   * Blocking mode: resolves once the backend has the record, rejects with EventLogUnavailableError.
   * Non-blocking mode: enqueues and resolves at once; never rejects; drops are counted in publisherStats().
   */
  publish<V extends object>(topic: string, key: string, value: V, headers?: EventHeaders): Promise<void>;
  publishBatch(records: readonly EventRecord<object>[]): Promise<void>;
  /** Synchronous fire-and-forget publish for hot paths: true if enqueued, false if dropped. Never throws. */
  offer<V extends object>(topic: string, key: string, value: V, headers?: EventHeaders): boolean;
  /** Waits (bounded) until the non-blocking queue is empty. */
  flush(timeoutMs?: number): Promise<void>;
  subscribe<V extends object = Record<string, unknown>>(options: SubscribeOptions<V>): Promise<Subscription>;
  lag(group: string, topics: readonly string[]): Promise<PartitionLag[]>;
  partitionFor(topic: string, key: string): number;
  partitionsOf(topic: string): number;
  publisherStats(): PublisherStats;
  /** Stops every subscription gracefully (bounded by `timeoutMs`, default 30 s), flushes the queue (bounded), closes connections. */
  close(options?: StopOptions): Promise<void>;
}

/** Body of a dead-letter record on `<topic>.dlq`. */
export interface DeadLetter {
  error: { message: string; code?: string; name?: string };
  original: {
    topic: string;
    partition: number;
    id: string;
    key: string;
    value: unknown;
    headers: EventHeaders;
    timestamp: number;
    deliveryCount: number;
  };
  group: string;
  consumer: string;
  failedAt: number;
}

export const DLQ_SUFFIX = '.dlq';
export function dlqTopicOf(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}
