import { addLatency, addScore, emptyLatencyHistogram, emptyScoreHistogram, ks, latencyQuantile, psi } from './distribution';

function hist(values: number[]): number[] {
  const h = emptyScoreHistogram();
  values.forEach((v) => addScore(h, v));
  return h;
}

const uniform = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, (_, i) => lo + ((i + 0.5) / n) * (hi - lo));

describe('score distributions', () => {
  it('PSI is ~0 for identical distributions and large for shifted ones', () => {
    const a = hist(uniform(5000, 0, 1));
    expect(psi(a, hist(uniform(3000, 0, 1)))).toBeLessThan(0.01);
    expect(psi(a, hist(uniform(3000, 0.5, 1)))).toBeGreaterThan(0.5);
  });

  it('KS D measures the largest CDF gap, with a p-value that falls as it grows', () => {
    const same = ks(hist(uniform(2000, 0, 1)), hist(uniform(2000, 0, 1)));
    expect(same.d).toBeLessThan(0.02);
    expect(same.pValue).toBeGreaterThan(0.5);
    const shifted = ks(hist(uniform(2000, 0, 1)), hist(uniform(2000, 0.2, 1)));
    expect(shifted.d).toBeCloseTo(0.2, 1);
    expect(shifted.pValue).toBeLessThan(1e-6);
  });

  it('latency quantiles land within a bucket (~10%) of the true value', () => {
    const h = emptyLatencyHistogram();
    for (let i = 1; i <= 1000; i++) addLatency(h, i / 10); // 0.1 .. 100 ms
    expect(latencyQuantile(h, 0.99)).toBeGreaterThanOrEqual(99);
    expect(latencyQuantile(h, 0.99)).toBeLessThanOrEqual(99 * 1.11);
    expect(latencyQuantile(emptyLatencyHistogram(), 0.99)).toBeNull();
  });
});
