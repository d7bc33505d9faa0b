import { exampleScoringRequest, type ScoringRequest } from '@risk/contract-events';
import { DEFAULT_POLICY } from './default-policy';
import { PolicyEngine } from './policy.engine';
import { parsePolicyConfig } from './policy.schema';
import { requestFeatures } from '../model/request-features';

const req = (patch: Partial<ScoringRequest> = {}): ScoringRequest => ({ ...exampleScoringRequest(), ...patch });

describe('PolicyEngine', () => {
  const config = parsePolicyConfig(DEFAULT_POLICY);

  it('allows low risk and declines near-certain fraud by expected cost', () => {
    const e = new PolicyEngine(config);
    const r = req();
    expect(e.decide(0.001, r, requestFeatures(r), 0).action).toBe('allow');
    expect(e.decide(0.97, r, requestFeatures(r), 0).action).toBe('decline');
  });

  it('picks step-up in the middle band for EU cards, but never for bank transfers', () => {
    const e = new PolicyEngine(config);
    const card = req();
    const mid = e.decide(0.2, card, requestFeatures(card), 0);
    expect(mid.action).toBe('step_up');
    expect(mid.reasonCodes).toContain('MIN_EXPECTED_COST_STEP_UP');
    const bank = req({ payment: { methodId: 'pm_bank', type: 'bank_transfer' } });
    const ranked = e.rank(0.2, bank).map((x) => x.action);
    expect(ranked).not.toContain('step_up');
    expect(ranked).not.toContain('route');
  });

  it('expected cost is p·amount·loss·(1-catch) + (1-p)·(fixed + abandon·margin·amount)', () => {
    const e = new PolicyEngine(config);
    const r = req({ amount: { value: 100, currency: 'EUR' } });
    const allow = e.rank(0.1, r).find((x) => x.action === 'allow');
    expect(allow?.cost).toBeCloseTo(0.1 * 100 * 1.2, 6);
    const decline = e.rank(0.1, r).find((x) => x.action === 'decline');
    expect(decline?.cost).toBeCloseTo(0.9 * (0 + 1 * 0.25 * 100), 6);
  });

  it('decline-rate guardrail downgrades declines once the window is over the limit', () => {
    const e = new PolicyEngine(parsePolicyConfig({ ...DEFAULT_POLICY, guardrails: { windowMs: 60_000, minSamples: 10, maxDeclineRate: 0.1, maxStepUpRate: 1 } }));
    const r = req();
    const rt = requestFeatures(r);
    const actions = Array.from({ length: 40 }, (_, i) => e.decide(0.99, r, rt, 1000 + i).action);
    const declines = actions.filter((a) => a === 'decline').length;
    expect(declines).toBeGreaterThanOrEqual(10);
    expect(declines / 40).toBeLessThanOrEqual(0.3);
    const last = e.decide(0.99, r, rt, 2000);
    expect(last.action).not.toBe('decline');
    expect(last.reasonCodes).toContain('GUARDRAIL_DECLINE_RATE');
    // After the window slides past, declines are allowed again.
    expect(e.decide(0.99, r, rt, 200_000).action).toBe('decline');
  });

  it('rejects an invalid policy config', () => {
    expect(() => parsePolicyConfig({ ...DEFAULT_POLICY, guardrails: { windowMs: -1 } })).toThrow();
  });
});
