import type { ScoringRequest } from '@risk/contract-events';
import type { FeatureValues } from '../decision.ports';
import type { HardRule, RuleCondition } from './policy.schema';

/** All set conditions must hold (AND). Uses the precomputed request-time features. */
export function matches(c: RuleCondition, r: ScoringRequest, rt: FeatureValues): boolean {
  if (c.amountAbove !== undefined && !(r.amount.value > c.amountAbove)) return false;
  if (c.guest !== undefined && r.shopper.isGuest !== c.guest) return false;
  if (c.accountAgeDaysBelow !== undefined && !((rt['rt_account_age_days'] ?? 0) < c.accountAgeDaysBelow)) return false;
  if (c.countryMismatch !== undefined) {
    const mm = (rt['rt_ip_bin_country_mismatch'] ?? 0) + (rt['rt_ship_bin_country_mismatch'] ?? 0) + (rt['rt_ip_ship_country_mismatch'] ?? 0) > 0;
    if (mm !== c.countryMismatch) return false;
  }
  if (c.digitalGoods !== undefined && r.items.digitalGoods !== c.digitalGoods) return false;
  if (c.highRiskCategory !== undefined && r.items.highRiskCategory !== c.highRiskCategory) return false;
  if (c.channel !== undefined && r.channel !== c.channel) return false;
  return true;
}

export function firstMatch(rules: readonly HardRule[], r: ScoringRequest, rt: FeatureValues): HardRule | undefined {
  for (const rule of rules) if (matches(rule.when, r, rt)) return rule;
  return undefined;
}
