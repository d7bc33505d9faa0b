import { randomUUID } from 'node:crypto';
import { TOPICS, type Decision, type Region, type ScoringRequest } from '@risk/contract-events';
import type { EventLog } from '@risk/event-log';
import { scoringRequests, type ScoringSample } from '@risk/simulators';

export interface TrafficStats {
  sent: number;
  failed: number;
  byAction: Record<string, number>;
}

/**
 * Replays marketplace-simulator checkouts of one region against the real scorer, as fast as `concurrency` allows,
 * and reports the issuer's answer for every allowed checkout on the event log (payment.authorised/declined), the
 * way the payment service would: frauds the model let through are mostly refused by the issuer.
 */
export class SimulatedTraffic {
  readonly stats: TrafficStats = { sent: 0, failed: 0, byAction: {} };
  private stopped = false;
  private done: Promise<void> | null = null;
  private n = 0;
  /** Ground truth of every checkout sent (bounded), for publishing matured labels later. */
  readonly truth = new Map<string, boolean>();

  constructor(
    private readonly o: { scorerUrl: string; pool: readonly ScoringSample[]; log: EventLog; seed: number; concurrency?: number; maxRequests?: number },
  ) {}

  /** Simulator checkouts of one region (generating them is the slow part, so a test builds the pool once and cycles it). */
  static async pool(region: Region, seed: number, size: number): Promise<ScoringSample[]> {
    const out: ScoringSample[] = [];
    let i = 0;
    for (const s of scoringRequests({ seed, days: 1, shoppers: Math.ceil(size / 1.1), merchants: 2000, checkoutsPerShopperPerDay: 3 })) {
      if (s.request.region === region) out.push(s);
      if (out.length >= size) break;
      // Yield now and then: the same process serves the scorer's registry bridge.
      if (++i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    return out;
  }

  private next(): ScoringSample | null {
    return this.o.pool[this.n % this.o.pool.length] ?? null;
  }

  start(): this {
    const worker = async (): Promise<void> => {
      while (!this.stopped && this.stats.sent < (this.o.maxRequests ?? 200_000)) {
        const s = this.next();
        if (!s) return;
        // Fresh checkout ids per run: the canary split hashes them, and reruns must not collide in the decision log.
        const request: ScoringRequest = { ...s.request, checkoutId: `${s.request.checkoutId}_${(this.n++).toString(36)}_${this.o.seed}` };
        try {
          const res = await fetch(`${this.o.scorerUrl}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal: AbortSignal.timeout(5000) });
          if (!res.ok) {
            this.stats.failed++;
            continue;
          }
          const d = (await res.json()) as Decision;
          this.stats.sent++;
          if (this.truth.size < 200_000) this.truth.set(request.checkoutId, s.truth.isFraud);
          this.stats.byAction[d.action] = (this.stats.byAction[d.action] ?? 0) + 1;
          if (d.action === 'allow') await this.issuerAnswer(request, s.truth.isFraud);
        } catch {
          this.stats.failed++;
        }
      }
    };
    this.done = Promise.all(Array.from({ length: this.o.concurrency ?? 8 }, worker)).then(() => undefined);
    return this;
  }

  private async issuerAnswer(r: ScoringRequest, fraud: boolean): Promise<void> {
    const declined = fraud ? this.n % 10 < 6 : this.n % 50 === 0;
    const base = { eventId: randomUUID(), schemaVersion: 1 as const, occurredAt: new Date().toISOString(), region: r.region };
    const subject = { accountToken: 'tok_sim_AAAAAAAAAAAAAAAAAAAAAA', merchantId: r.merchant.id, paymentMethodId: r.payment.methodId };
    const payload = { checkoutId: r.checkoutId, paymentId: `pay_${r.checkoutId}`.slice(0, 64), subject, amount: r.amount };
    const event = declined ? { ...base, type: 'payment.declined' as const, payload: { ...payload, reason: 'suspected_fraud' as const } } : { ...base, type: 'payment.authorised' as const, payload };
    await this.o.log.publish(TOPICS.checkoutEvents, subject.accountToken, event);
  }

  async stop(): Promise<TrafficStats> {
    this.stopped = true;
    await this.done;
    return this.stats;
  }
}
