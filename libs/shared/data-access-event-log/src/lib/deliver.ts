import { scrubForDeadLetter } from './dead-letter.scrub';
import { dlqTopicOf, type DeadLetter, type EventHandler, type EventMessage, type EventRecord, type SubscriptionStats } from './event-log.types';

export interface DeliverContext {
  group: string;
  consumer: string;
  maxDeliveries: number;
  retryBackoffMs: number;
  stats: SubscriptionStats;
  /** True once the subscription was aborted: stop retrying, leave the message uncommitted. */
  aborted: () => boolean;
  publishDeadLetter: (record: EventRecord<DeadLetter>) => Promise<void>;
  onError?: (message: EventMessage<object>, error: unknown) => void;
}

export type DeliverOutcome = 'handled' | 'dead_lettered' | 'aborted';

/**
 * Runs the handler with in-place retries (keeps the partition's order), then dead-letters.
 * Returns only when the message may be committed; throws if even the dead-letter publish failed,
 * so the caller leaves the message uncommitted and it is redelivered later.
 */
export async function deliver<V extends object>(message: EventMessage<V>, handler: EventHandler<V>, ctx: DeliverContext): Promise<DeliverOutcome> {
  let lastError: unknown;
  while (message.deliveryCount <= ctx.maxDeliveries) {
    if (ctx.aborted()) return 'aborted';
    try {
      await handler(message);
      ctx.stats.handled++;
      return 'handled';
    } catch (error) {
      lastError = error;
      ctx.stats.failedAttempts++;
      ctx.onError?.(message, error);
      if (message.deliveryCount >= ctx.maxDeliveries) break;
      message.deliveryCount++;
      if (ctx.retryBackoffMs > 0) await sleep(ctx.retryBackoffMs * message.deliveryCount);
    }
  }
  if (ctx.aborted()) return 'aborted';
  await ctx.publishDeadLetter(deadLetterRecord(message, lastError ?? new Error('max deliveries exceeded before handling'), ctx));
  ctx.stats.deadLettered++;
  return 'dead_lettered';
}

export function deadLetterRecord(message: EventMessage<object>, error: unknown, ctx: Pick<DeliverContext, 'group' | 'consumer'>): EventRecord<DeadLetter> {
  return {
    topic: dlqTopicOf(message.topic),
    key: message.key,
    value: {
      error: describeError(error),
      original: {
        topic: message.topic,
        partition: message.partition,
        id: message.id,
        key: message.key,
        value: scrubForDeadLetter(message.value, error) as object,
        headers: message.headers,
        timestamp: message.timestamp,
        deliveryCount: message.deliveryCount,
      },
      group: ctx.group,
      consumer: ctx.consumer,
      failedAt: Date.now(),
    },
    headers: { ...message.headers, 'x-dlq-source-topic': message.topic },
  };
}

function describeError(error: unknown): DeadLetter['error'] {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, name: error.name, ...(typeof code === 'string' ? { code } : {}) };
  }
  if (typeof error === 'object' && error !== null) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return { message: typeof message === 'string' ? message : JSON.stringify(error), ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}

/** Graceful stop bounded by a deadline; past it the subscription is aborted (in-flight left uncommitted). */
export async function stopWithin(stop: () => Promise<void>, abort: () => Promise<void>, timeoutMs: number | undefined): Promise<void> {
  if (timeoutMs === undefined) return stop();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), timeoutMs)));
  const result = await Promise.race([stop().then(() => 'stopped' as const), expired]);
  clearTimeout(timer);
  if (result === 'expired') await abort();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
