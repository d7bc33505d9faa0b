import { ks, latencyQuantile, psi } from '../stats/distribution';
import type { ShadowWindow } from './decision-window';
import type { ShadowGate } from './guardrails.config';

export interface ShadowComparison {
  at: string;
  n: number;
  psi: number;
  ks: { d: number; pValue: number };
  /** Share of each action for production (live) and the candidate (shadow), and their total variation distance. */
  actionMix: { production: Record<string, number>; shadow: Record<string, number>; totalVariation: number };
  disagreementRate: number;
  /** Worst segments (region × payment method) by disagreement, with at least 20 requests. */
  segments: { segment: string; n: number; disagreementRate: number }[];
  /** Production decision latency over the window; the candidate is scored after the response (off the critical path). */
  latencyMs: { p50: number | null; p99: number | null };
  verdict: 'pass' | 'fail' | 'insufficient_data';
  reasons: string[];
}

const shares = (m: Record<string, number>, n: number): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, n ? v / n : 0]));

export function compareShadow(w: ShadowWindow, gate: ShadowGate, now: Date = new Date()): ShadowComparison {
  const prod = shares(w.productionActions, w.n);
  const shadow = shares(w.shadowActions, w.n);
  const keys = new Set([...Object.keys(prod), ...Object.keys(shadow)]);
  let tv = 0;
  for (const k of keys) tv += Math.abs((prod[k] ?? 0) - (shadow[k] ?? 0));
  const disagree = Object.values(w.bySegment).reduce((s, v) => s + v.disagree, 0);
  const disagreementRate = w.n ? disagree / w.n : 0;
  const p = psi(w.productionScores, w.shadowScores);
  const reasons: string[] = [];
  if (p > gate.maxPsi) reasons.push(`score PSI ${p.toFixed(3)} > ${gate.maxPsi}`);
  if (disagreementRate > gate.maxDisagreement) reasons.push(`action disagreement ${(disagreementRate * 100).toFixed(1)}% > ${(gate.maxDisagreement * 100).toFixed(1)}%`);
  return {
    at: now.toISOString(),
    n: w.n,
    psi: p,
    ks: ks(w.productionScores, w.shadowScores),
    actionMix: { production: prod, shadow, totalVariation: tv / 2 },
    disagreementRate,
    segments: Object.entries(w.bySegment)
      .filter(([, v]) => v.n >= 20)
      .map(([segment, v]) => ({ segment, n: v.n, disagreementRate: v.disagree / v.n }))
      .sort((a, b) => b.disagreementRate - a.disagreementRate)
      .slice(0, 20),
    latencyMs: { p50: latencyQuantile(w.productionLatencyMs, 0.5), p99: latencyQuantile(w.productionLatencyMs, 0.99) },
    verdict: w.n < gate.minSamples ? 'insufficient_data' : reasons.length ? 'fail' : 'pass',
    reasons,
  };
}
