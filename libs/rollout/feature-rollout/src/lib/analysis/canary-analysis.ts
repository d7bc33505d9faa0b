import { latencyQuantile, psi } from '../stats/distribution';
import { sequentialProportionTest } from '../stats/sequential-test';
import type { ArmWindow, CanaryWindow, RateCounts } from './decision-window';
import type { GuardrailConfig } from './guardrails.config';

export const GUARDRAILS = ['decline_rate', 'step_up_rate', 'auth_failure_rate', 'error_rate', 'degraded_rate', 'latency_p99', 'score_drift'] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

export interface GuardrailResult {
  guardrail: Guardrail;
  /** `overall`, `region:eu`, `payment_method:pm_12`. */
  segment: string;
  canary: number;
  production: number;
  nCanary: number;
  nProduction: number;
  /** Test statistic against its threshold (log LR for rates, value for latency/PSI). */
  statistic: number;
  threshold: number;
  enoughData: boolean;
  breached: boolean;
}

export type Verdict = 'breach' | 'pass' | 'insufficient_data';

export interface CanaryAnalysis {
  at: string;
  windowStartedAt: string;
  verdict: Verdict;
  samples: { canary: number; production: number };
  breaches: GuardrailResult[];
  /** Overall results of every guardrail (segments only when breached, to keep evidence small). */
  results: GuardrailResult[];
}

type RateKey = 'decline' | 'stepUp' | 'authFailed' | 'error' | 'degraded';
const RATE_GUARDRAILS: { guardrail: Guardrail; key: RateKey; cfg: keyof Pick<GuardrailConfig, 'declineRate' | 'stepUpRate' | 'authFailureRate' | 'errorRate' | 'degradedRate'>; segmented: boolean }[] = [
  { guardrail: 'decline_rate', key: 'decline', cfg: 'declineRate', segmented: true },
  { guardrail: 'step_up_rate', key: 'stepUp', cfg: 'stepUpRate', segmented: true },
  { guardrail: 'auth_failure_rate', key: 'authFailed', cfg: 'authFailureRate', segmented: true },
  { guardrail: 'error_rate', key: 'error', cfg: 'errorRate', segmented: false },
  { guardrail: 'degraded_rate', key: 'degraded', cfg: 'degradedRate', segmented: false },
];

/** The denominator of the auth-failure proxy is allowed checkouts, of the others every decision. */
const trials = (c: RateCounts, key: RateKey): number => (key === 'authFailed' ? c.allowed : c.n);

function segmentsOf(canary: ArmWindow, production: ArmWindow): { name: string; c: RateCounts; p: RateCounts }[] {
  const out: { name: string; c: RateCounts; p: RateCounts }[] = [];
  for (const [k, c] of Object.entries(canary.byRegion)) if (production.byRegion[k]) out.push({ name: `region:${k}`, c, p: production.byRegion[k] as RateCounts });
  for (const [k, c] of Object.entries(canary.byPaymentMethod)) {
    if (production.byPaymentMethod[k]) out.push({ name: `payment_method:${k}`, c, p: production.byPaymentMethod[k] as RateCounts });
  }
  return out;
}

/**
 * Compares the canary with production over the same window. Rate guardrails use the always-valid sequential
 * test (so re-running this on every tick does not inflate false alarms); half of alpha goes to the overall rate,
 * half is Bonferroni-split across every segment both arms have seen. Latency and score drift are thresholds behind a minimum sample.
 */
export function analyseCanary(w: CanaryWindow, cfg: GuardrailConfig, now: Date = new Date()): CanaryAnalysis {
  const { canary, production } = w;
  const results: GuardrailResult[] = [];
  const breaches: GuardrailResult[] = [];
  const segments = segmentsOf(canary, production);
  for (const g of RATE_GUARDRAILS) {
    const gc = cfg[g.cfg];
    if (!gc.enabled) continue;
    const segs = g.segmented ? segments : [];
    const tested = [{ name: 'overall', c: canary.overall, p: production.overall }, ...segs];
    for (const s of tested) {
      // Half the family's alpha on the overall rate, half Bonferroni-split over the segments.
      const alpha = segs.length === 0 ? cfg.alpha : s.name === 'overall' ? cfg.alpha / 2 : cfg.alpha / 2 / segs.length;
      const t = sequentialProportionTest(
        { xc: s.c[g.key], nc: trials(s.c, g.key), xp: s.p[g.key], np: trials(s.p, g.key) },
        { alpha, tau: cfg.tau, ratio: gc.ratio, margin: gc.margin, minSamples: cfg.minSamples },
      );
      const r: GuardrailResult = {
        guardrail: g.guardrail,
        segment: s.name,
        canary: t.canaryRate,
        production: t.productionRate,
        nCanary: trials(s.c, g.key),
        nProduction: trials(s.p, g.key),
        statistic: t.logLikelihoodRatio,
        threshold: t.threshold,
        enoughData: t.enoughData,
        breached: t.breached,
      };
      if (s.name === 'overall') results.push(r);
      if (r.breached) {
        breaches.push(r);
        if (s.name !== 'overall') results.push(r);
      }
    }
  }
  if (cfg.latencyP99.enabled) {
    const c99 = latencyQuantile(canary.latencyMs, 0.99) ?? 0;
    const p99 = latencyQuantile(production.latencyMs, 0.99) ?? 0;
    const limit = Math.max(p99 * cfg.latencyP99.ratio, p99 + cfg.latencyP99.marginMs);
    const enough = canary.overall.n >= cfg.latencyP99.minSamples && production.overall.n >= cfg.latencyP99.minSamples;
    const r: GuardrailResult = { guardrail: 'latency_p99', segment: 'overall', canary: c99, production: p99, nCanary: canary.overall.n, nProduction: production.overall.n, statistic: c99, threshold: limit, enoughData: enough, breached: enough && c99 > limit };
    results.push(r);
    if (r.breached) breaches.push(r);
  }
  if (cfg.scoreDrift.enabled) {
    const value = psi(production.scores, canary.scores);
    const enough = canary.overall.n >= cfg.scoreDrift.minSamples && production.overall.n >= cfg.scoreDrift.minSamples;
    const r: GuardrailResult = { guardrail: 'score_drift', segment: 'overall', canary: value, production: 0, nCanary: canary.overall.n, nProduction: production.overall.n, statistic: value, threshold: cfg.scoreDrift.maxPsi, enoughData: enough, breached: enough && value > cfg.scoreDrift.maxPsi };
    results.push(r);
    if (r.breached) breaches.push(r);
  }
  const enough = canary.overall.n >= cfg.minSamples && production.overall.n >= cfg.minSamples;
  return {
    at: now.toISOString(),
    windowStartedAt: w.startedAt,
    verdict: breaches.length ? 'breach' : enough ? 'pass' : 'insufficient_data',
    samples: { canary: canary.overall.n, production: production.overall.n },
    breaches,
    results,
  };
}
