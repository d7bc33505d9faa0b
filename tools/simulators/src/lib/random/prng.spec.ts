import { Prng } from './prng';

describe('Prng', () => {
  it('is deterministic by seed and differs across seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 50 }, () => a.nextUint32());
    const seqB = Array.from({ length: 50 }, () => b.nextUint32());
    const seqC = Array.from({ length: 50 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('draws uniforms in [0,1) with the right mean', () => {
    const rng = new Prng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
  });

  it('draws normals with the requested mean and std', () => {
    const rng = new Prng(2);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(10, 3);
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    const std = Math.sqrt(sq / n - mean * mean);
    expect(mean).toBeCloseTo(10, 1);
    expect(std).toBeCloseTo(3, 1);
  });

  it.each([0.5, 2, 3.7, 12, 80])('draws Poisson(%p) with mean ≈ variance ≈ lambda', (lambda) => {
    const rng = new Prng(3);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let invalid = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(lambda);
      if (!Number.isInteger(k) || k < 0) invalid++;
      sum += k;
      sq += k * k;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    expect(invalid).toBe(0);
    expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.02);
    expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.05);
  });

  it('samples distinct values without replacement', () => {
    const rng = new Prng(4);
    const s = rng.sampleWithoutReplacement(10, 10);
    expect([...s].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const big = rng.sampleWithoutReplacement(1_000_000, 500);
    expect(new Set(big).size).toBe(500);
    expect(big.every((v) => v >= 0 && v < 1_000_000)).toBe(true);
    expect(rng.sampleWithoutReplacement(3, 10)).toHaveLength(3);
  });

  it('picks weighted indices proportionally', () => {
    const rng = new Prng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[rng.weightedIndex([1, 2, 3])]++;
    expect((counts[0] as number) / 60_000).toBeCloseTo(1 / 6, 1);
    expect((counts[2] as number) / 60_000).toBeCloseTo(3 / 6, 1);
  });
});
