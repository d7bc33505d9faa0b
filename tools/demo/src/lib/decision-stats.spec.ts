import { DecisionStats } from './decision-stats';

const ok = (action: string, degraded: string[] = []) => ({ action, degraded: degraded.map((reason) => ({ reason })), modelVersion: 'v1', source: 'scorer' as const });

describe('DecisionStats', () => {
  it('counts actions, degraded share over answered decisions, and unanswered separately', () => {
    const s = new DecisionStats();
    s.record(ok('allow'), 2);
    s.record(ok('allow', ['features_timeout']), 20);
    s.record(ok('decline'), 3);
    s.record({ action: 'review', degraded: [], modelVersion: null, source: 'fail_open' }, 250);
    const snap = s.snapshot();
    expect(snap.total).toBe(4);
    expect(snap.byAction).toEqual({ allow: 2, decline: 1 });
    expect(snap.degraded).toBe(1);
    expect(snap.degradedShare).toBeCloseTo(1 / 3, 4);
    expect(snap.degradedByReason).toEqual({ features_timeout: 1 });
    expect(snap.unanswered).toBe(1);
    expect(snap.byModelVersion).toEqual({ v1: 3 });
  });

  it('computes p50/p99 from the histogram at 0.1 ms resolution', () => {
    const s = new DecisionStats();
    for (let i = 1; i <= 1000; i++) s.record(ok('allow'), i / 10); // 0.1 .. 100 ms
    const snap = s.snapshot();
    expect(snap.p50Ms).toBeCloseTo(50, 1);
    expect(snap.p99Ms).toBeCloseTo(99, 1);
    expect(snap.maxMs).toBe(100);
  });

  it("reports the scorer's own p99 from timings.totalMs of answered decisions", () => {
    const s = new DecisionStats();
    for (let i = 1; i <= 100; i++) s.record({ ...ok('allow'), timings: { totalMs: i } }, 200);
    expect(s.snapshot().scorerP99Ms).toBe(99);
    expect(s.snapshot().p99Ms).toBe(200);
  });

  it('puts latencies beyond the histogram in the last bucket', () => {
    const s = new DecisionStats();
    s.record(ok('allow'), 5000);
    expect(s.snapshot().p99Ms).toBe(2000);
  });
});
