import { ACTIONS, type Action, type ScoringRequest } from '@risk/contract-events';
import type { FeatureValues } from '../decision.ports';
import type { PolicyConfig } from './policy.schema';
import { RateWindow } from './rate-guardrail';

type ActionCost = { fraudCatch: number; fixedCost: number; abandonRate: number };
interface SegmentCosts {
  lossFactor: number;
  margin: number;
  actions: Array<[Action, ActionCost]>;
}

export interface PolicyOutcome {
  action: Action;
  reasonCodes: string[];
  expectedCost: number;
}

const SIGNAL_CODES: Array<[string, string]> = [
  ['rt_ip_bin_country_mismatch', 'IP_BIN_COUNTRY_MISMATCH'],
  ['rt_ship_bin_country_mismatch', 'SHIP_BIN_COUNTRY_MISMATCH'],
  ['rt_new_account', 'NEW_ACCOUNT'],
  ['rt_is_guest', 'GUEST_CHECKOUT'],
  ['rt_digital_goods', 'DIGITAL_GOODS'],
  ['rt_high_risk_category', 'HIGH_RISK_CATEGORY'],
];

/**
 * Chooses the action with the least expected cost for this region and payment type, then applies the decline
 * and step-up rate guardrails over a sliding window. Pure config: changing the policy never needs code.
 */
export class PolicyEngine {
  private readonly segments = new Map<string, SegmentCosts>();
  private readonly window: RateWindow;

  constructor(readonly config: PolicyConfig) {
    this.window = new RateWindow(config.guardrails.windowMs);
  }

  get version(): string {
    return this.config.version;
  }

  private segment(region: string, paymentType: string): SegmentCosts {
    const key = `${region}|${paymentType}`;
    let s = this.segments.get(key);
    if (s) return s;
    const c = this.config;
    let lossFactor = c.costs.lossFactor;
    let margin = c.costs.margin;
    const actions: Partial<Record<Action, ActionCost>> = { ...c.costs.actions };
    for (const seg of c.segments) {
      if (seg.region && seg.region !== region) continue;
      if (seg.paymentType && seg.paymentType !== paymentType) continue;
      if (seg.lossFactor !== undefined) lossFactor = seg.lossFactor;
      if (seg.margin !== undefined) margin = seg.margin;
      Object.assign(actions, seg.actions ?? {});
      for (const d of seg.disabled ?? []) delete actions[d];
    }
    if (!actions.allow) actions.allow = { fraudCatch: 0, fixedCost: 0, abandonRate: 0 };
    s = { lossFactor, margin, actions: ACTIONS.filter((a) => actions[a]).map((a) => [a, actions[a] as ActionCost]) };
    this.segments.set(key, s);
    return s;
  }

  /** Expected cost of each available action, cheapest first. */
  rank(p: number, r: ScoringRequest): Array<{ action: Action; cost: number }> {
    const s = this.segment(r.region, r.payment.type);
    const amount = r.amount.value;
    const physical = !r.items.digitalGoods && r.shipping.method !== 'digital';
    const out: Array<{ action: Action; cost: number }> = [];
    for (const [action, a] of s.actions) {
      if (action === 'hold_fulfillment' && !physical) continue;
      const fraud = p * amount * s.lossFactor * (1 - a.fraudCatch);
      const friction = (1 - p) * (a.fixedCost + a.abandonRate * s.margin * amount);
      out.push({ action, cost: fraud + friction });
    }
    return out.sort((x, y) => x.cost - y.cost);
  }

  decide(p: number, r: ScoringRequest, rt: FeatureValues, now: number): PolicyOutcome {
    const ranked = this.rank(p, r);
    const g = this.config.guardrails;
    const snap = this.window.snapshot(now);
    const reasonCodes: string[] = [];
    let pick = ranked[0] as { action: Action; cost: number };
    if (snap.total >= g.minSamples) {
      for (const cand of ranked) {
        if (cand.action === 'decline' && (snap.declines + 1) / (snap.total + 1) > g.maxDeclineRate) {
          if (!reasonCodes.includes('GUARDRAIL_DECLINE_RATE')) reasonCodes.push('GUARDRAIL_DECLINE_RATE');
          continue;
        }
        if (cand.action === 'step_up' && (snap.stepUps + 1) / (snap.total + 1) > g.maxStepUpRate) {
          reasonCodes.push('GUARDRAIL_STEP_UP_RATE');
          continue;
        }
        pick = cand;
        break;
      }
    }
    this.window.record(pick.action, now);
    reasonCodes.unshift(p >= 0.5 ? 'SCORE_HIGH' : p >= 0.1 ? 'SCORE_MEDIUM' : 'SCORE_LOW', `MIN_EXPECTED_COST_${pick.action.toUpperCase()}`);
    for (const [name, code] of SIGNAL_CODES) if (rt[name]) reasonCodes.push(code);
    return { action: pick.action, reasonCodes, expectedCost: pick.cost };
  }

  /** Decisions made outside the cost model (lists, hard rules, rules-only) still count towards the rates. */
  record(action: Action, now: number): void {
    this.window.record(action, now);
  }
}
