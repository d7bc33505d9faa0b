import { arrivalsUntil, emptySecond, eventLoss, mergeInto, percentile, rateAt, recoveredAt, spikeAssertions, summarize } from './peak-report';
import type { SecondStats } from './peak.types';

const sec = (second: number, patch: Partial<SecondStats>): SecondStats => ({ ...emptySecond(second), ...patch });

describe('peak report', () => {
  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(500);
    expect(percentile(xs, 99)).toBe(990);
    expect(percentile(xs, 99.9)).toBe(999);
    expect(percentile([], 50)).toBeNaN();
  });

  it('piecewise-linear schedule: rate and arrivals (baseline, 10x ramp, hold)', () => {
    const s: Array<[number, number]> = [
      [0, 100],
      [10, 100],
      [20, 1000],
      [30, 1000],
    ];
    expect(rateAt(s, 5)).toBe(100);
    expect(rateAt(s, 15)).toBe(550);
    expect(rateAt(s, 31)).toBe(0);
    expect(arrivalsUntil(s, 10)).toBe(1000);
    // ramp: trapezoid (100 + 1000) / 2 * 10
    expect(arrivalsUntil(s, 20)).toBe(1000 + 5500);
    expect(arrivalsUntil(s, 30)).toBe(1000 + 5500 + 10000);
  });

  it('unanswered requests count against the budget share; degraded answers count as answers', () => {
    const a = sec(0, { offered: 1000, answered: 999, withinBudget: 999, degraded: 400, degradedBy: { 'features:features_timeout': 400 }, latencies: [1, 2, 70] });
    const b = sec(1, { offered: 1000, answered: 1000, withinBudget: 1000, timeouts: 0 });
    const sum = summarize('spike', [a, b]);
    expect(sum.withinBudgetShare).toBeCloseTo(1999 / 2000);
    expect(sum.degradedShare).toBeCloseTo(400 / 1999);
    expect(sum.offeredRps).toBe(1000);
    expect(spikeAssertions(sum).every((c) => c.ok)).toBe(true);

    const worse = summarize('spike', [sec(0, { offered: 1000, answered: 998, withinBudget: 998 })]);
    expect(spikeAssertions(worse)[0]?.ok).toBe(false);
    const with5xx = summarize('spike', [sec(0, { offered: 10, answered: 10, withinBudget: 10, status5xx: 1 })]);
    expect(spikeAssertions(with5xx)[1]?.ok).toBe(false);
    expect(spikeAssertions(summarize('empty', []))[0]?.ok).toBe(false);
  });

  it('merges per-process seconds', () => {
    const m = mergeInto(sec(3, { offered: 1, degradedBy: { x: 1 }, latencies: [5] }), sec(3, { offered: 2, degradedBy: { x: 2, y: 1 }, latencies: [7] }));
    expect(m).toMatchObject({ second: 3, offered: 3, degradedBy: { x: 3, y: 1 }, latencies: [5, 7] });
  });

  it('counts lost and duplicated events', () => {
    expect(eventLoss({ expected: 10, unique: 10, total: 10 })).toEqual({ lost: 0, duplicated: 0 });
    expect(eventLoss({ expected: 10, unique: 8, total: 11 })).toEqual({ lost: 2, duplicated: 3 });
  });

  it('recovery is the first second from which every later second is healthy', () => {
    const series = [0, 1, 2, 3, 4, 5].map((i) => sec(i, { degraded: [0, 9, 9, 0, 9, 0][i] as number }));
    expect(recoveredAt(series, 1, (s) => s.degraded === 0)).toBe(5);
    expect(recoveredAt(series.slice(0, 5), 1, (s) => s.degraded === 0)).toBeNull();
  });
});
