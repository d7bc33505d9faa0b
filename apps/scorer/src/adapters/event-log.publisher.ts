import { TOPICS, type DecisionMadeEvent } from '@risk/contract-events';
import type { DecisionPublisher } from '@risk/decision';
import { createEventLog, type EventLog } from '@risk/event-log';
import type { Logger } from '@risk/util-logging';

/**
 * Decision log through the event log in non-blocking mode: `offer` enqueues synchronously and never throws.
 * The scorer boots without the log; connection is retried in the background and decisions made meanwhile
 * are counted as dropped and flagged `event_log_unavailable`.
 */
export class EventLogDecisionPublisher implements DecisionPublisher {
  private log: EventLog | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  dropped = 0;

  constructor(
    private readonly o: { redisUrl: string; region: string; retryMs?: number },
    private readonly logger?: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed || this.log) return;
    try {
      const log = await createEventLog(
        { backend: 'redis', redisUrl: this.o.redisUrl, region: this.o.region, publishMode: 'non-blocking', clientId: 'scorer' },
        { logger: this.logger },
      );
      if (this.closed) return void (await log.close());
      this.log = log;
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'decision log unavailable; retrying in background');
      this.timer = setTimeout(() => void this.connect(), this.o.retryMs ?? 5000);
      this.timer.unref();
    }
  }

  available(): boolean {
    return this.log !== null;
  }

  publish(event: DecisionMadeEvent): void {
    if (!this.log || !this.log.offer(TOPICS.decisions, event.payload.checkoutId, event)) this.dropped++;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.log?.close();
    this.log = null;
  }
}
