import type { Arm } from '../analysis/decision-window';

/** One decision of a past canary, as the controller recorded it (arm, action, amount). */
export interface CanaryDecisionRecord {
  checkoutId: string;
  arm: Arm;
  action: string;
  region: string;
  /** Order value in a common currency unit; 1 when unknown (the report then counts checkouts). */
  amount?: number;
}

/** A label that matured weeks later (chargeback, issuer report, or the maturity window passing clean). */
export interface MaturedLabel {
  checkoutId: string;
  label: 'fraud' | 'legitimate';
}

export interface ArmOutcome {
  decisions: number;
  labelled: number;
  frauds: number;
  /** Share of fraud value that was let through (allowed or stepped-up-and-passed is not known here: allowed only). */
  fraudLossRate: number;
  fraudLossAmount: number;
  /** Legitimate checkouts declined, over all legitimate labelled checkouts. */
  falseDeclineRate: number;
  /** Declined checkouts that turned out fraudulent. */
  declinePrecision: number;
}

export interface MaturedLabelReport {
  generatedAt: string;
  labelCoverage: number;
  production: ArmOutcome;
  canary: ArmOutcome;
  /** Canary minus production (negative = the candidate is better). */
  delta: { fraudLossRate: number; falseDeclineRate: number };
  verdict: 'improved' | 'worse' | 'mixed' | 'no_difference' | 'insufficient_labels';
  minLabelsPerArm: number;
}

const BLOCKING = new Set(['decline']);

function outcome(decisions: CanaryDecisionRecord[], labels: Map<string, 'fraud' | 'legitimate'>): ArmOutcome {
  let labelled = 0;
  let frauds = 0;
  let fraudValue = 0;
  let fraudAllowedValue = 0;
  let legit = 0;
  let legitDeclined = 0;
  let declinedFraud = 0;
  let declined = 0;
  for (const d of decisions) {
    const l = labels.get(d.checkoutId);
    if (!l) continue;
    labelled++;
    const amount = d.amount ?? 1;
    const blocked = BLOCKING.has(d.action);
    if (blocked) declined++;
    if (l === 'fraud') {
      frauds++;
      fraudValue += amount;
      if (d.action === 'allow') fraudAllowedValue += amount;
      if (blocked) declinedFraud++;
    } else {
      legit++;
      if (blocked) legitDeclined++;
    }
  }
  return {
    decisions: decisions.length,
    labelled,
    frauds,
    fraudLossRate: fraudValue ? fraudAllowedValue / fraudValue : 0,
    fraudLossAmount: fraudAllowedValue,
    falseDeclineRate: legit ? legitDeclined / legit : 0,
    declinePrecision: declined ? declinedFraud / declined : 0,
  };
}

/**
 * Did the promoted model really reduce fraud loss and false declines? Compares the two arms of a past canary on
 * labels that matured after it (same period, same traffic split), with a tolerance below which a change is noise.
 */
export function maturedLabelReport(
  decisions: readonly CanaryDecisionRecord[],
  labels: readonly MaturedLabel[],
  opts: { minLabelsPerArm?: number; tolerance?: number; now?: Date } = {},
): MaturedLabelReport {
  const byId = new Map(labels.map((l) => [l.checkoutId, l.label] as const));
  const production = outcome(
    decisions.filter((d) => d.arm === 'production'),
    byId,
  );
  const canary = outcome(
    decisions.filter((d) => d.arm === 'canary'),
    byId,
  );
  const min = opts.minLabelsPerArm ?? 200;
  const tol = opts.tolerance ?? 0.005;
  const delta = { fraudLossRate: canary.fraudLossRate - production.fraudLossRate, falseDeclineRate: canary.falseDeclineRate - production.falseDeclineRate };
  const sign = (v: number): number => (v < -tol ? -1 : v > tol ? 1 : 0);
  const s = [sign(delta.fraudLossRate), sign(delta.falseDeclineRate)];
  let verdict: MaturedLabelReport['verdict'];
  if (production.labelled < min || canary.labelled < min) verdict = 'insufficient_labels';
  else if (s.every((x) => x === 0)) verdict = 'no_difference';
  else if (s.every((x) => x <= 0)) verdict = 'improved';
  else if (s.every((x) => x >= 0)) verdict = 'worse';
  else verdict = 'mixed';
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    labelCoverage: decisions.length ? (production.labelled + canary.labelled) / decisions.length : 0,
    production,
    canary,
    delta,
    verdict,
    minLabelsPerArm: min,
  };
}
