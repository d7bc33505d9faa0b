import { randomUUID } from 'node:crypto';
import { TOPICS, type RiskEvent, type ScoringRequest } from '@risk/contract-events';
import type { EventLog } from '@risk/event-log';
import { ScorerClient, type ClientDecision } from '@risk/scorer-client';
import { marketplaceEvents, scoringRequests, type MarketplaceSimulationOptions, type ScoringSample } from '@risk/simulators';
import type { DecisionStats } from './decision-stats';

export const DEMO_REGION = 'eu' as const;

/** Topic and partition key of each contract event, as documented in TOPICS. */
function route(e: RiskEvent): { topic: string; key: string } {
  if (e.type === 'decision.made') return { topic: TOPICS.decisions, key: e.payload.checkoutId };
  if (e.type === 'chargeback.received' || e.type === 'label.confirmed') return { topic: TOPICS.labels, key: e.payload.subject.accountToken };
  return { topic: TOPICS.checkoutEvents, key: e.payload.subject.accountToken };
}

export interface PublishedEvents {
  total: number;
  byType: Record<string, number>;
  /** Delayed labels among them (chargebacks, confirmed labels). */
  labels: number;
}

/**
 * Publishes the simulator's marketplace history of one region (checkouts, payments, 3DS, refunds, delayed
 * chargebacks and labels) to the event log, in batches, so the feature service builds the online state.
 */
export async function publishHistory(log: EventLog, sim: Partial<MarketplaceSimulationOptions>, maxEvents: number, onProgress: (n: number) => void, abort: AbortSignal): Promise<PublishedEvents> {
  const out: PublishedEvents = { total: 0, byType: {}, labels: 0 };
  let batch: { topic: string; key: string; value: RiskEvent }[] = [];
  for (const e of marketplaceEvents(sim)) {
    if (abort.aborted || out.total >= maxEvents) break;
    if (e.region !== DEMO_REGION || e.type === 'decision.made') continue;
    batch.push({ ...route(e), value: e });
    out.total++;
    out.byType[e.type] = (out.byType[e.type] ?? 0) + 1;
    if (e.type === 'chargeback.received' || e.type === 'label.confirmed') out.labels++;
    if (batch.length >= 500) {
      await log.publishBatch(batch);
      batch = [];
      onProgress(out.total);
    }
  }
  if (batch.length) await log.publishBatch(batch);
  onProgress(out.total);
  return out;
}

/** Checkouts of the demo region with their ground truth (generated once, then cycled). */
export function checkoutPool(sim: Partial<MarketplaceSimulationOptions>, size: number): ScoringSample[] {
  const pool: ScoringSample[] = [];
  for (const s of scoringRequests(sim)) {
    if (s.request.region === DEMO_REGION) pool.push(s);
    if (pool.length >= size) break;
  }
  return pool;
}

export interface TrafficOptions {
  scorerUrl: string;
  pool: readonly ScoringSample[];
  log: EventLog;
  runId: string;
  /** Requests in flight beyond this are not sent (counted as `notSent`): the generator never queues. */
  maxInFlight: number;
  /** The checkout's whole budget for a decision; beyond it the client fails open (counted as unanswered). */
  budgetMs: number;
}

/**
 * Open-loop checkout traffic at a settable rate through @risk/scorer-client (one attempt, no hedge, so every
 * unanswered request is visible as a fail-open). For every allowed checkout the issuer's answer goes to the event
 * log the way the payment service would report it (payment.authorised / payment.declined).
 */
export class TrafficGenerator {
  private readonly client: ScorerClient;
  private readonly sinks = new Set<DecisionStats>();
  private rate = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private n = 0;
  private credit = 0;
  private lastTick = 0;
  notSent = 0;
  lastModelVersion: string | null = null;

  constructor(private readonly o: TrafficOptions) {
    this.client = new ScorerClient({ baseUrl: o.scorerUrl, budgetMs: o.budgetMs, hedgeAfterMs: o.budgetMs, maxAttempts: 1, failOpen: { action: 'review', policyVersion: 'client-fail-open' } });
  }

  attach(stats: DecisionStats): void {
    this.sinks.add(stats);
  }

  detach(stats: DecisionStats): void {
    this.sinks.delete(stats);
  }

  get currentRate(): number {
    return this.rate;
  }

  setRate(rps: number): void {
    this.rate = rps;
    if (!this.timer && rps > 0) {
      this.lastTick = performance.now();
      this.timer = setInterval(() => this.tick(), 10);
    }
  }

  private tick(): void {
    const now = performance.now();
    this.credit = Math.min(this.credit + ((now - this.lastTick) / 1000) * this.rate, this.rate + 1);
    this.lastTick = now;
    while (this.credit >= 1) {
      this.credit--;
      if (this.inFlight.size >= this.o.maxInFlight) {
        this.notSent++;
        continue;
      }
      const p = this.one().finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async one(): Promise<void> {
    const i = this.n++;
    const s = this.o.pool[i % this.o.pool.length];
    if (!s) return;
    // Fresh checkout ids: the canary split hashes them, and the decision log must not see duplicates.
    const request: ScoringRequest = { ...s.request, checkoutId: `${s.request.checkoutId}_${this.o.runId}_${i.toString(36)}`.slice(0, 64) };
    const t0 = performance.now();
    let d: ClientDecision;
    try {
      d = await this.client.decide(request);
    } catch {
      // A 4xx (ScorerRejectedError) is a bug of the demo's requests: count it as unanswered, never hide it.
      for (const sink of this.sinks) sink.record({ action: 'none', degraded: [], modelVersion: null, source: 'fail_open' }, performance.now() - t0);
      return;
    }
    const ms = performance.now() - t0;
    // `fallback` decisions (no usable model for this request) say nothing about which model is live.
    if (d.source === 'scorer' && d.modelVersion && d.modelVersion !== 'fallback') this.lastModelVersion = d.modelVersion;
    for (const sink of this.sinks) sink.record(d, ms);
    if (d.source === 'scorer' && d.action === 'allow') this.issuerAnswer(request, s.truth.isFraud, i);
  }

  private issuerAnswer(r: ScoringRequest, fraud: boolean, i: number): void {
    const declined = fraud ? i % 10 < 6 : i % 50 === 0;
    const base = { eventId: randomUUID(), schemaVersion: 1 as const, occurredAt: new Date().toISOString(), region: r.region };
    const subject = { accountToken: 'tok_sim_AAAAAAAAAAAAAAAAAAAAAA', merchantId: r.merchant.id, paymentMethodId: r.payment.methodId };
    const payload = { checkoutId: r.checkoutId, paymentId: `pay_${r.checkoutId}`.slice(0, 64), subject, amount: r.amount };
    const event = declined ? { ...base, type: 'payment.declined' as const, payload: { ...payload, reason: 'suspected_fraud' as const } } : { ...base, type: 'payment.authorised' as const, payload };
    this.o.log.offer(TOPICS.checkoutEvents, subject.accountToken, event);
  }

  /** Stops sending and waits (bounded) for the requests in flight. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.rate = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, timeoutMs))]);
  }
}
