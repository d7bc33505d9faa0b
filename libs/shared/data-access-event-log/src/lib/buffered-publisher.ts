import type { EventRecord, PublisherStats } from './event-log.types';

export interface BufferedPublisherOptions {
  maxBuffered: number;
  maxBatch: number;
  flushTimeoutMs: number;
  /** Sends one batch to the backend; rejects when the backend is down. */
  send: (records: EventRecord<object>[]) => Promise<void>;
  onDrop?: (count: number, reason: 'full' | 'send_failed', error?: unknown) => void;
}

/**
 * Bounded, non-blocking producer queue: `offer` is O(1) and never awaits the backend. One flush runs at a time;
 * a failed or timed-out flush drops its records (counted) instead of retrying, so an outage costs data, never latency.
 */
export class BufferedPublisher {
  private queue: EventRecord<object>[] = [];
  private head = 0;
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { published: 0, dropped: 0 };

  constructor(private readonly options: BufferedPublisherOptions) {}

  offer(record: EventRecord<object>): boolean {
    if (this.closed || this.size() >= this.options.maxBuffered) {
      this.counters.dropped++;
      this.options.onDrop?.(1, 'full');
      return false;
    }
    this.queue.push(record);
    this.schedule();
    return true;
  }

  stats(): PublisherStats {
    return { published: this.counters.published, dropped: this.counters.dropped, buffered: this.size() };
  }

  /** Resolves when the queue is empty or the timeout passed, whichever comes first. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.size() === 0 && !this.flushing) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiter = (): void => done();
      this.idleWaiters.push(waiter);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  close(): void {
    this.closed = true;
  }

  private size(): number {
    return this.queue.length - this.head;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate batches everything offered in the current tick into one round trip.
    setImmediate(() => {
      this.scheduled = false;
      void this.flushLoop();
    });
  }

  private take(): EventRecord<object>[] {
    const end = Math.min(this.queue.length, this.head + this.options.maxBatch);
    const batch = this.queue.slice(this.head, end);
    this.head = end;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private async flushLoop(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let first = true; this.size() > 0; first = false) {
        // Yield between batches so draining a large backlog never holds the caller's event loop.
        if (!first) await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.take();
        try {
          await withTimeout(this.options.send(batch), this.options.flushTimeoutMs);
          this.counters.published += batch.length;
        } catch (error) {
          this.counters.dropped += batch.length;
          this.options.onDrop?.(batch.length, 'send_failed', error);
        }
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flush timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
