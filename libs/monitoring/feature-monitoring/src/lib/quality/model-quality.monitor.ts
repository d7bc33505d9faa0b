import type { RiskEvent } from '@risk/contract-events';
import { aucRoc, averagePrecision } from '@risk/ml';

const DAY = 86_400_000;

interface CheckoutOutcome {
  region: string;
  time: number;
  modelVersion: string | null;
  action?: string;
  score?: number;
  auth?: 'authorised' | 'declined';
  stepUp?: 'passed' | 'failed' | 'abandoned';
  /** fraud evidence (fraud label or chargeback) and when it arrived */
  fraudAt?: number;
  legitimateAt?: number;
}

export interface ImmediateQuality {
  region: string;
  from: string;
  to: string;
  allowedWithAuthOutcome: number;
  authFailureRate: number | null;
  stepUpsCompleted: number;
  stepUpPassRate: number | null;
}

export interface DelayedQuality {
  region: string;
  modelVersion: string;
  /** What the figures rest on: checkouts of [cohortFrom, cohortTo), labels known as of `asOf`, at least `maturityDays` old. */
  maturity: { asOf: string; maturityDays: number; cohortFrom: string; cohortTo: string; explicitLabelShare: number };
  n: number;
  frauds: number;
  auc: number | null;
  ap: number | null;
  /** declined (or held) legitimate checkouts / legitimate checkouts */
  falseDeclineRate: number | null;
}

/** Outcomes and labels joined to decisions by checkout id, for immediate and matured-label quality. */
export class ModelQualityMonitor {
  private readonly byCheckout = new Map<string, CheckoutOutcome>();

  constructor(private readonly retainMs = 120 * DAY) {}

  ingest(e: RiskEvent): void {
    const time = Date.parse(e.occurredAt);
    const get = (checkoutId: string): CheckoutOutcome => {
      let o = this.byCheckout.get(checkoutId);
      if (!o) this.byCheckout.set(checkoutId, (o = { region: e.region, time, modelVersion: null }));
      return o;
    };
    switch (e.type) {
      case 'decision.made': {
        const o = get(e.payload.checkoutId);
        Object.assign(o, { time, region: e.region, action: e.payload.action, score: e.payload.score, modelVersion: e.payload.modelVersion });
        break;
      }
      case 'payment.authorised':
        get(e.payload.checkoutId).auth = 'authorised';
        break;
      case 'payment.declined':
        get(e.payload.checkoutId).auth = 'declined';
        break;
      case 'stepup.completed':
        get(e.payload.checkoutId).stepUp = e.payload.outcome;
        break;
      case 'chargeback.received': {
        const o = get(e.payload.original.checkoutId);
        o.fraudAt = Math.min(o.fraudAt ?? Infinity, time);
        break;
      }
      case 'label.confirmed': {
        const o = get(e.payload.original.checkoutId);
        if (e.payload.label === 'fraud') o.fraudAt = Math.min(o.fraudAt ?? Infinity, time);
        else o.legitimateAt = Math.min(o.legitimateAt ?? Infinity, time);
        break;
      }
      default:
        break;
    }
  }

  prune(now: number): void {
    for (const [id, o] of this.byCheckout) if (o.time < now - this.retainMs) this.byCheckout.delete(id);
  }

  immediate(from: number, to: number): ImmediateQuality[] {
    const acc = new Map<string, { allowed: number; declined: number; steps: number; passed: number }>();
    for (const o of this.byCheckout.values()) {
      if (o.time < from || o.time >= to || !o.action) continue;
      let a = acc.get(o.region);
      if (!a) acc.set(o.region, (a = { allowed: 0, declined: 0, steps: 0, passed: 0 }));
      if (o.action === 'allow' && o.auth) {
        a.allowed++;
        if (o.auth === 'declined') a.declined++;
      }
      if (o.action === 'step_up' && o.stepUp) {
        a.steps++;
        if (o.stepUp === 'passed') a.passed++;
      }
    }
    return [...acc].map(([region, a]) => ({
      region,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      allowedWithAuthOutcome: a.allowed,
      authFailureRate: a.allowed ? a.declined / a.allowed : null,
      stepUpsCompleted: a.steps,
      stepUpPassRate: a.steps ? a.passed / a.steps : null,
    }));
  }

  /**
   * Daily matured-label figures: the cohort is the `cohortDays` of checkouts ending `maturityDays` before `asOf`.
   * A checkout counts as fraud if a fraud label or chargeback arrived by `asOf`, otherwise as legitimate.
   */
  delayed(asOf: number, maturityDays: number, cohortDays = 1): DelayedQuality[] {
    const cohortTo = asOf - maturityDays * DAY;
    const cohortFrom = cohortTo - cohortDays * DAY;
    const groups = new Map<string, { region: string; modelVersion: string; scores: number[]; labels: number[]; explicit: number; legit: number; falseDeclines: number }>();
    for (const o of this.byCheckout.values()) {
      if (o.time < cohortFrom || o.time >= cohortTo || o.score === undefined) continue;
      const mv = o.modelVersion ?? 'rules';
      const k = `${o.region}|${mv}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { region: o.region, modelVersion: mv, scores: [], labels: [], explicit: 0, legit: 0, falseDeclines: 0 }));
      const fraud = o.fraudAt !== undefined && o.fraudAt <= asOf;
      if (fraud || (o.legitimateAt !== undefined && o.legitimateAt <= asOf)) g.explicit++;
      g.scores.push(o.score);
      g.labels.push(fraud ? 1 : 0);
      if (!fraud) {
        g.legit++;
        if (o.action === 'decline' || o.action === 'hold_fulfillment') g.falseDeclines++;
      }
    }
    return [...groups.values()].map((g) => {
      const frauds = g.labels.reduce((a, b) => a + b, 0);
      const ranked = frauds > 0 && frauds < g.labels.length;
      return {
        region: g.region,
        modelVersion: g.modelVersion,
        maturity: {
          asOf: new Date(asOf).toISOString(),
          maturityDays,
          cohortFrom: new Date(cohortFrom).toISOString(),
          cohortTo: new Date(cohortTo).toISOString(),
          explicitLabelShare: g.labels.length ? g.explicit / g.labels.length : 0,
        },
        n: g.labels.length,
        frauds,
        auc: ranked ? aucRoc(g.scores, g.labels) : null,
        ap: ranked ? averagePrecision(g.scores, g.labels) : null,
        falseDeclineRate: g.legit ? g.falseDeclines / g.legit : null,
      };
    });
  }
}
