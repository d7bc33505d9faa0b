import type { Action } from '@risk/contract-events';
import type { EdgeRequest, FeatureValues } from '../decision.ports';
import type { PolicyConfig, VelocityLimit } from '../policy/policy.schema';
import { firstMatch } from '../policy/rule-match';
import { VelocityCounter } from './velocity-counter';

export interface TriageOutcome {
  /** Set when triage alone decides (block/allow list, hard rule, velocity breach). */
  action?: Action;
  score?: number;
  reasonCodes: string[];
}

const ORDER: Record<Action, number> = { allow: 0, route: 1, step_up: 2, hold_fulfillment: 3, review: 4, decline: 5 };

/** In-memory first stage: lists, hard rules and per-instance velocity limits, all in microseconds. */
export class Triage {
  private readonly allowTokens: Set<string>;
  private readonly blockTokens: Set<string>;
  private readonly blockBins: Set<string>;
  private readonly blockMerchants: Set<string>;
  private readonly allowMerchants: Set<string>;
  private readonly counters: Array<{ limit: VelocityLimit; counter: VelocityCounter }>;

  constructor(private readonly config: PolicyConfig) {
    const l = config.lists;
    this.allowTokens = new Set(l.allowTokens);
    this.blockTokens = new Set(l.blockTokens);
    this.blockBins = new Set(l.blockBins);
    this.blockMerchants = new Set(l.blockMerchants);
    this.allowMerchants = new Set(l.allowMerchants);
    this.counters = config.velocity.map((limit) => ({ limit, counter: new VelocityCounter(limit.windowMs) }));
  }

  run(edge: EdgeRequest, rt: FeatureValues, now: number): TriageOutcome {
    const t = edge.tokens;
    const r = edge.request;
    const ids = [t.account, t.email, t.device, t.ip, t.address, t.card, t.phone];
    for (const id of ids) if (id !== undefined && this.blockTokens.has(id)) return { action: 'decline', score: 1, reasonCodes: ['BLOCKLIST_IDENTITY'] };
    if (r.payment.card && this.blockBins.has(r.payment.card.bin)) return { action: 'decline', score: 1, reasonCodes: ['BLOCKLIST_BIN'] };
    if (this.blockMerchants.has(r.merchant.id)) return { action: 'decline', score: 1, reasonCodes: ['BLOCKLIST_MERCHANT'] };

    // Velocity is counted for every request (allow-listed ones too) so a burst is seen as a burst.
    let velocity: { action: Action; code: string } | undefined;
    for (const { limit, counter } of this.counters) {
      const key = t[limit.entity === 'account' ? 'account' : limit.entity];
      if (key === undefined) continue;
      if (counter.hit(key, now) > limit.max && (!velocity || ORDER[limit.action] > ORDER[velocity.action])) {
        velocity = { action: limit.action, code: limit.code };
      }
    }
    if (velocity) return { action: velocity.action, score: 0.9, reasonCodes: [velocity.code] };

    for (const id of ids) if (id !== undefined && this.allowTokens.has(id)) return { action: 'allow', score: 0, reasonCodes: ['ALLOWLIST_IDENTITY'] };
    if (this.allowMerchants.has(r.merchant.id)) return { action: 'allow', score: 0, reasonCodes: ['ALLOWLIST_MERCHANT'] };

    const rule = firstMatch(this.config.hardRules, r, rt);
    if (rule) return { action: rule.action, score: rule.score, reasonCodes: [rule.code] };
    return { reasonCodes: [] };
  }
}
