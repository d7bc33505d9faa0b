/**
 * Always-valid sequential test for "is the canary's rate worse than production's": the mixture SPRT (mSPRT,
 * Johari et al., "Peeking at A/B tests", KDD 2017) on the normal approximation of the difference of two
 * proportions. The controller re-evaluates during every bake, as often as it likes; the chance that a canary
 * with no real difference ever breaches stays below alpha, however many looks. A minimum sample rule on top
 * keeps the normal approximation honest for tiny canaries.
 */
export interface ProportionCounts {
  /** Events (e.g. declines) and trials in the canary arm. */
  xc: number;
  nc: number;
  /** Same in production, over the same period. */
  xp: number;
  np: number;
}

export interface SequentialTestOptions {
  /** Type-I error bound over the whole (unbounded) sequence of looks. */
  alpha: number;
  /** Mixing scale of the effect size prior (absolute rate difference the test is tuned to detect). */
  tau: number;
  /** Tolerated relative worsening: H0 is p_c ≤ ratio · p_p + margin. */
  ratio: number;
  /** Tolerated absolute worsening. */
  margin: number;
  /** Minimum trials per arm before the test may breach. */
  minSamples: number;
}

export interface SequentialTestResult {
  canaryRate: number;
  productionRate: number;
  /** Estimated excess over the tolerated rate (positive = worse than tolerated). */
  excess: number;
  /** log of the mixture likelihood ratio; breach when ≥ log(1/alpha) with a positive excess. */
  logLikelihoodRatio: number;
  threshold: number;
  enoughData: boolean;
  breached: boolean;
}

export function sequentialProportionTest(c: ProportionCounts, o: SequentialTestOptions): SequentialTestResult {
  const pc = c.nc > 0 ? c.xc / c.nc : 0;
  const pp = c.np > 0 ? c.xp / c.np : 0;
  const threshold = Math.log(1 / o.alpha);
  const enoughData = c.nc >= o.minSamples && c.np >= o.minSamples;
  const excess = pc - (o.ratio * pp + o.margin);
  // Variance from smoothed rates so a zero count does not claim zero variance.
  const sc = (c.xc + 0.5) / (c.nc + 1);
  const sp = (c.xp + 0.5) / (c.np + 1);
  const v = (sc * (1 - sc)) / Math.max(1, c.nc) + (o.ratio * o.ratio * sp * (1 - sp)) / Math.max(1, c.np);
  const t2 = o.tau * o.tau;
  const llr = 0.5 * Math.log(v / (v + t2)) + (excess * excess * t2) / (2 * v * (v + t2));
  const breached = enoughData && excess > 0 && llr >= threshold;
  return { canaryRate: pc, productionRate: pp, excess, logLikelihoodRatio: llr, threshold, enoughData, breached };
}
