import { decisionEvent } from '../testing/decision-event.fixture';
import { analyseCanary } from './canary-analysis';
import { emptyCanaryWindow, emptyShadowWindow, recordAuthorisation, recordDecision, recordShadow, type CanaryWindow } from './decision-window';
import { guardrailConfigSchema, shadowGateSchema } from './guardrails.config';
import { compareShadow } from './shadow-comparison';

const CFG = guardrailConfigSchema.parse({});

/** Deterministic traffic: every `1/rate`-th decision of a segment is a decline. */
function fill(w: CanaryWindow, arm: 'production' | 'canary', n: number, declineRate: (region: string) => number, opts: { totalMs?: number; score?: number } = {}): void {
  const regions = ['eu', 'us'] as const;
  const acc: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const region = regions[i % 2] as 'eu' | 'us';
    acc[region] = (acc[region] ?? 0) + declineRate(region);
    const decline = acc[region] >= 1;
    if (decline) acc[region] -= 1;
    recordDecision(w, decisionEvent({ arm, region, action: decline ? 'decline' : 'allow', paymentMethodId: `pm_${i % 3}`, totalMs: opts.totalMs ?? 2 + (i % 5), score: opts.score ?? (i % 100) / 100 }));
  }
}

describe('analyseCanary', () => {
  it('passes a canary that behaves like production once both arms have the minimum sample', () => {
    const w = emptyCanaryWindow(new Date());
    fill(w, 'production', 4000, () => 0.04);
    fill(w, 'canary', 400, () => 0.04);
    const a = analyseCanary(w, CFG);
    expect(a.verdict).toBe('pass');
    expect(a.breaches).toEqual([]);
    expect(a.results.map((r) => r.guardrail)).toEqual(['decline_rate', 'step_up_rate', 'auth_failure_rate', 'error_rate', 'degraded_rate', 'latency_p99', 'score_drift']);
  });

  it('reports insufficient data below the minimum sample, whatever the rates', () => {
    const w = emptyCanaryWindow(new Date());
    fill(w, 'production', 4000, () => 0.04);
    fill(w, 'canary', 60, () => 0.5);
    expect(analyseCanary(w, CFG).verdict).toBe('insufficient_data');
  });

  it('finds a 3x decline rate confined to one region, naming the segment', () => {
    const w = emptyCanaryWindow(new Date());
    fill(w, 'production', 6000, () => 0.04);
    fill(w, 'canary', 1200, (r) => (r === 'eu' ? 0.12 : 0.04));
    const a = analyseCanary(w, CFG);
    expect(a.verdict).toBe('breach');
    expect(a.breaches.some((b) => b.guardrail === 'decline_rate' && b.segment === 'region:eu')).toBe(true);
    expect(a.breaches.some((b) => b.segment === 'region:us')).toBe(false);
  });

  it('breaches on the authorisation-failure proxy of allowed checkouts, on p99 latency and on score drift', () => {
    const w = emptyCanaryWindow(new Date());
    fill(w, 'production', 3000, () => 0.04);
    fill(w, 'canary', 1200, () => 0.04, { totalMs: 40, score: 0.95 });
    for (let i = 0; i < 600; i++) recordAuthorisation(w, { arm: 'canary', region: 'eu', paymentMethodId: 'pm_0' }, i % 4 === 0);
    for (let i = 0; i < 3000; i++) recordAuthorisation(w, { arm: 'production', region: 'eu', paymentMethodId: 'pm_0' }, i % 50 === 0);
    const kinds = new Set(analyseCanary(w, CFG).breaches.map((b) => b.guardrail));
    expect(kinds).toEqual(new Set(['auth_failure_rate', 'latency_p99', 'score_drift']));
  });
});

describe('compareShadow', () => {
  it('measures PSI, KS, action mix and disagreement by region × payment method', () => {
    const w = emptyShadowWindow(new Date());
    for (let i = 0; i < 1000; i++) {
      const region = i % 2 ? 'eu' : 'us';
      const score = (i % 100) / 100;
      // The candidate declines the top 10% where production declines the top 5%, and only in eu.
      const shadowAction = score >= (region === 'eu' ? 0.9 : 0.95) ? 'decline' : 'allow';
      const e = decisionEvent({ arm: 'production', region, score, action: score >= 0.95 ? 'decline' : 'allow', paymentMethodId: 'pm_1', shadow: [{ modelVersion: 'v2', score, action: shadowAction }] });
      recordShadow(w, e, 'v2');
    }
    expect(recordShadow(w, decisionEvent({ arm: 'production' }), 'v2')).toBe(false);
    const r = compareShadow(w, shadowGateSchema.parse({}));
    expect(r.n).toBe(1000);
    expect(r.psi).toBeLessThan(0.001);
    expect(r.ks.d).toBe(0);
    expect(r.disagreementRate).toBeCloseTo(0.02, 3); // eu sees odd scores: 0.91 and 0.93 of every 50
    expect(r.actionMix.totalVariation).toBeCloseTo(0.02, 3);
    expect(r.segments[0]).toEqual({ segment: 'eu|pm_1', n: 500, disagreementRate: 0.04 });
    expect(r.verdict).toBe('pass');
    expect(compareShadow(w, shadowGateSchema.parse({ maxDisagreement: 0.01 })).verdict).toBe('fail');
  });
});
