import type { Logger } from '@risk/util-logging';
import type { RegistryPrisma } from './prisma.client';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

/** Port to the shared event log (@risk/event-log). Until it is wired, events stay in the outbox (nothing lost). */
export interface ChangeEventPublisher {
  publish(topic: string, key: string, payload: unknown): Promise<void>;
}

export interface OutboxRelayOptions {
  topic: string;
  pollMs?: number;
  webhookTimeoutMs?: number;
  maxAttempts?: number;
  /** Backoff: base * 2^(attempts-1), capped. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  batch?: number;
}

interface DueDelivery {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  eventId: string;
  payload: unknown;
}

/**
 * Drains the transactional outbox: publishes stage-change events to the event log and delivers signed webhooks
 * with exponential backoff. Rows are claimed with FOR UPDATE SKIP LOCKED, so several registry replicas can run it.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly prisma: RegistryPrisma,
    private readonly logger: Logger,
    private readonly opts: OutboxRelayOptions,
    private readonly publisher: ChangeEventPublisher | null = null,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.running = this.drainOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'outbox relay pass failed'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; returns how many webhooks were delivered and events published. Exposed for tests. */
  async drainOnce(): Promise<{ delivered: number; failed: number; published: number }> {
    const published = await this.publishToEventLog();
    const { delivered, failed } = await this.deliverWebhooks();
    return { delivered, failed, published };
  }

  private async publishToEventLog(): Promise<number> {
    const publisher = this.publisher;
    if (!publisher) return 0;
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; type: string; payload: { modelName?: string } }[]>`
        SELECT id, type, payload FROM "OutboxEvent" WHERE "eventLogPublishedAt" IS NULL
        ORDER BY seq LIMIT ${this.opts.batch ?? 100} FOR UPDATE SKIP LOCKED`;
      for (const r of rows) {
        await publisher.publish(this.opts.topic, r.payload.modelName ?? r.type, r.payload);
        await tx.$executeRaw`UPDATE "OutboxEvent" SET "eventLogPublishedAt" = now(), "updatedAt" = now() WHERE id = ${r.id}::uuid`;
      }
      return rows.length;
    });
  }

  private async deliverWebhooks(): Promise<{ delivered: number; failed: number }> {
    const maxAttempts = this.opts.maxAttempts ?? 10;
    // Claim due rows by pushing nextAttemptAt forward inside a short transaction; the HTTP calls happen outside it.
    const due = await this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<DueDelivery[]>`
        SELECT d.id, d.attempts, s.url, s.secret, d."eventId", e.payload
        FROM "WebhookDelivery" d
        JOIN "WebhookSubscription" s ON s.id = d."subscriptionId"
        JOIN "OutboxEvent" e ON e.id = d."eventId"
        WHERE d."deliveredAt" IS NULL AND d."nextAttemptAt" <= now() AND d.attempts < ${maxAttempts} AND s.active
        ORDER BY d."nextAttemptAt" LIMIT ${this.opts.batch ?? 50}
        FOR UPDATE OF d SKIP LOCKED`;
      const leaseMs = (this.opts.webhookTimeoutMs ?? 5000) * 2;
      for (const r of rows) {
        await tx.$executeRaw`UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() + make_interval(secs => ${leaseMs / 1000}), "updatedAt" = now() WHERE id = ${r.id}::uuid`;
      }
      return rows;
    });
    let delivered = 0;
    let failed = 0;
    await Promise.all(
      due.map(async (d) => {
        const body = JSON.stringify(d.payload);
        const ts = Math.floor(Date.now() / 1000);
        let status: number | null = null;
        let error: string | null = null;
        try {
          const res = await fetch(d.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(d.secret, ts, body), [TIMESTAMP_HEADER]: String(ts), [EVENT_ID_HEADER]: d.eventId },
            body,
            signal: AbortSignal.timeout(this.opts.webhookTimeoutMs ?? 5000),
          });
          status = res.status;
          await res.arrayBuffer().catch(() => undefined);
          if (!res.ok) error = `HTTP ${res.status}`;
        } catch (err) {
          error = (err as Error).message.slice(0, 500);
        }
        const attempts = d.attempts + 1;
        if (!error) {
          delivered++;
          await this.prisma.$executeRaw`UPDATE "WebhookDelivery" SET "deliveredAt" = now(), attempts = ${attempts}, "lastStatus" = ${status}, "lastError" = NULL, "updatedAt" = now() WHERE id = ${d.id}::uuid`;
        } else {
          failed++;
          const backoff = Math.min((this.opts.backoffBaseMs ?? 1000) * 2 ** (attempts - 1), this.opts.backoffMaxMs ?? 300_000);
          await this.prisma.$executeRaw`UPDATE "WebhookDelivery" SET attempts = ${attempts}, "lastStatus" = ${status}, "lastError" = ${error},
            "nextAttemptAt" = now() + make_interval(secs => ${backoff / 1000}), "updatedAt" = now() WHERE id = ${d.id}::uuid`;
          this.logger.warn({ deliveryId: d.id, attempts, error }, 'webhook delivery failed; will retry');
        }
      }),
    );
    return { delivered, failed };
  }
}
