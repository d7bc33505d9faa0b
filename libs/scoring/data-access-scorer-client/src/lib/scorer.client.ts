import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseDecision, type Action, type Decision, type ScoringRequest } from '@risk/contract-events';
import { DomainError, type ErrorIssue } from '@risk/util-errors';

/** Static policy applied when the scorer cannot answer in time: checkout never waits on risk. */
export interface FailOpenPolicy {
  action: Action;
  /** Optional stricter action above an amount (in the request currency). */
  highAmount?: { above: number; action: Action };
  policyVersion?: string;
}

export interface ScorerClientOptions {
  baseUrl: string;
  /** Whole budget per decision, including retries and the hedge. */
  budgetMs: number;
  /** Send a second (hedged) request if the first has not answered after this long (~p95 of the scorer). */
  hedgeAfterMs: number;
  /** Attempts in total, hedges included. */
  maxAttempts: number;
  failOpen: FailOpenPolicy;
}

export type ClientDecision = Decision & { source: 'scorer' | 'fail_open'; attempts: number };

/** The scorer refused the request (4xx): a caller bug, surfaced rather than hidden by failing open. */
export class ScorerRejectedError extends DomainError {
  constructor(code: string, message: string, issues: ErrorIssue[] = []) {
    super(code, message, 'invalid', issues);
  }
}

class Retryable extends Error {}

export class ScorerClient {
  constructor(private readonly o: ScorerClientOptions) {}

  async decide(request: ScoringRequest): Promise<ClientDecision> {
    const t0 = performance.now();
    const deadline = t0 + this.o.budgetMs;
    const controllers: AbortController[] = [];
    let attempts = 0;
    try {
      const decision = await new Promise<Decision | null>((resolve, reject) => {
        let pending = 0;
        let settled = false;
        const timers: NodeJS.Timeout[] = [];
        const overall = setTimeout(() => finish(null), this.o.budgetMs);
        const finish = (d: Decision | null, err?: unknown): void => {
          if (settled) return;
          settled = true;
          clearTimeout(overall);
          for (const t of timers) clearTimeout(t);
          if (err) reject(err);
          else resolve(d);
        };
        const launch = (): void => {
          const remaining = deadline - performance.now();
          if (settled || attempts >= this.o.maxAttempts || remaining < 1) {
            if (pending === 0) finish(null);
            return;
          }
          attempts++;
          pending++;
          const ac = new AbortController();
          controllers.push(ac);
          this.once(request, ac.signal).then(
            (d) => finish(d),
            (err: unknown) => {
              pending--;
              if (err instanceof ScorerRejectedError) return finish(null, err);
              // Fast failure (refused, 5xx): retry at once while budget remains.
              launch();
              if (pending === 0 && (attempts >= this.o.maxAttempts || deadline - performance.now() < 1)) finish(null);
            },
          );
        };
        launch();
        timers.push(setTimeout(launch, this.o.hedgeAfterMs));
      });
      if (decision) return { ...decision, source: 'scorer', attempts };
      return this.failOpen(request, performance.now() - t0, attempts);
    } finally {
      for (const ac of controllers) ac.abort();
    }
  }

  private async once(request: ScoringRequest, signal: AbortSignal): Promise<Decision> {
    let res: Response;
    try {
      res = await fetch(`${this.o.baseUrl}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal });
    } catch (err) {
      throw new Retryable((err as Error).message);
    }
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: ErrorIssue[] } } | null;
    if (res.status >= 400 && res.status < 500) throw new ScorerRejectedError(body?.error?.code ?? 'REJECTED', body?.error?.message ?? `scorer answered ${res.status}`, body?.error?.issues);
    if (!res.ok || !body) throw new Retryable(`scorer answered ${res.status}`);
    return parseDecision(body);
  }

  private failOpen(r: ScoringRequest, elapsedMs: number, attempts: number): ClientDecision {
    const p = this.o.failOpen;
    const high = p.highAmount && r.amount.value > p.highAmount.above;
    return {
      schemaVersion: '1',
      requestId: randomUUID(),
      checkoutId: r.checkoutId,
      region: r.region,
      action: high ? (p.highAmount as { action: Action }).action : p.action,
      score: 0,
      reasonCodes: ['SCORER_UNAVAILABLE', high ? 'FAIL_OPEN_HIGH_AMOUNT' : 'FAIL_OPEN_DEFAULT'],
      modelVersion: null,
      policyVersion: p.policyVersion ?? 'static-fail-open',
      timings: { triageMs: 0, featuresMs: 0, modelMs: 0, policyMs: 0, totalMs: Math.round(elapsedMs * 1000) / 1000 },
      degraded: [{ stage: 'service', reason: 'policy_fallback' }],
      source: 'fail_open',
      attempts,
    };
  }
}
