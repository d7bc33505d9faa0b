import { brierScore, expectedCalibrationError } from './calibration.metrics';
import { actionCosts, cheapestAction, evaluateCost, type CostMatrix } from './cost.metrics';
import { metricsBySegment } from './segment.metrics';

describe('expected calibration error', () => {
  it('matches a hand-computed equal-width value', () => {
    // bin [0,.5): mean p .1 vs rate .5 -> .4 * 2/4; bin [.5,1]: .9 vs 1 -> .1 * 2/4; total .25.
    const r = expectedCalibrationError([0.1, 0.1, 0.9, 0.9], [0, 1, 1, 1], 2, 'width');
    expect(r.ece).toBeCloseTo(0.25, 12);
    expect(r.bins).toHaveLength(2);
  });

  it('equal-mass bins hold equal counts', () => {
    const p = [0.05, 0.1, 0.2, 0.3, 0.6, 0.7];
    const y = [0, 0, 1, 0, 1, 1];
    const r = expectedCalibrationError(p, y, 3, 'mass');
    expect(r.bins.map((b) => b.count)).toEqual([2, 2, 2]);
    // |.075-0| + |.25-.5| + |.65-1| each weighted 1/3.
    expect(r.ece).toBeCloseTo((0.075 + 0.25 + 0.35) / 3, 12);
    expect(brierScore([1, 0], [1, 1])).toBe(0.5);
  });
});

describe('expected cost', () => {
  const c: CostMatrix = { frictionCost: 2, stepUpFraudCatchRate: 0.9, falseDeclineCost: 5, falseDeclineAmountRate: 0.1 };

  it('prices each action as the cost matrix says', () => {
    const k = actionCosts(0.5, 100, c);
    expect(k.allow).toBeCloseTo(50, 12);
    expect(k.step_up).toBeCloseTo(7, 12);
    expect(k.decline).toBeCloseTo(7.5, 12);
    expect(cheapestAction(0.5, 100, c)).toBe('step_up');
    expect(cheapestAction(0.01, 100, c)).toBe('allow');
    expect(cheapestAction(0.95, 100, c)).toBe('decline');
  });

  it('evaluates realised and expected cost against labels', () => {
    const ev = evaluateCost({ prob: [0.5, 0.01, 0.95], label: [1, 0, 0], amount: [100, 100, 100] }, c);
    // step_up on fraud: 2 + 10; allow legit: 0; decline legit: 5 + 10.
    expect(ev.realisedCost).toBeCloseTo(27, 12);
    expect(ev.expectedCost).toBeCloseTo(7 + 1 + 0.75, 12);
    expect(ev.allowAllCost).toBe(100);
    expect(ev.actions).toEqual({ allow: 1, step_up: 1, decline: 1 });
    expect(ev.frictionCost).toBe(2);
    expect(ev.fraudLoss).toBeCloseTo(10, 12);
    expect(ev.falseDeclineCost).toBeCloseTo(15, 12);
    expect(ev.costPerTransaction).toBeCloseTo(9, 12);
  });
});

describe('metrics by segment', () => {
  it('groups rows and computes metrics per segment', () => {
    const seg = ['EU', 'EU', 'EU', 'EU', 'US', 'US'];
    const s = [0.1, 0.4, 0.35, 0.8, 0.2, 0.3];
    const y = [0, 0, 1, 1, 0, 0];
    const m = metricsBySegment(seg, s, y);
    expect(Object.keys(m)).toEqual(['EU', 'US']);
    expect(m.EU.count).toBe(4);
    expect(m.EU.positives).toBe(2);
    expect(m.EU.aucRoc).toBeCloseTo(0.75, 12);
    expect(m.EU.averagePrecision).toBeCloseTo(5 / 6, 12);
    expect(m.US.aucRoc).toBeNaN();
    expect(m.US.meanScore).toBeCloseTo(0.25, 12);
  });
});
