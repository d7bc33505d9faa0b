import { sequentialProportionTest, type SequentialTestOptions } from './sequential-test';

/** Small seeded PRNG so the error rates below are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTS: SequentialTestOptions = { alpha: 0.05, tau: 0.05, ratio: 1, margin: 0, minSamples: 100 };

/**
 * One simulated canary: production gets 9x the canary's traffic (a 10% canary), we look after every 50 canary
 * decisions up to `maxN`, and report the canary size at the first breach (or null).
 */
function simulate(rand: () => number, pProd: number, pCanary: number, maxN: number, opts = OPTS): number | null {
  let xc = 0;
  let xp = 0;
  let nc = 0;
  let np = 0;
  while (nc < maxN) {
    for (let i = 0; i < 50; i++) {
      nc++;
      if (rand() < pCanary) xc++;
      for (let j = 0; j < 9; j++) {
        np++;
        if (rand() < pProd) xp++;
      }
    }
    if (sequentialProportionTest({ xc, nc, xp, np }, opts).breached) return nc;
  }
  return null;
}

describe('sequentialProportionTest (mSPRT)', () => {
  it('keeps the false-alarm rate under alpha on no-difference data despite looking 40 times per canary', () => {
    const rand = rng(7);
    const runs = 200;
    let alarms = 0;
    for (let i = 0; i < runs; i++) if (simulate(rand, 0.04, 0.04, 2000) !== null) alarms++;
    // Continuous peeking with a fixed-n z-test at 5% would alarm in roughly a quarter of these runs.
    expect(alarms / runs).toBeLessThanOrEqual(OPTS.alpha);
  });

  it('detects a 3x decline rate with high power within 1,500 canary decisions', () => {
    const rand = rng(11);
    const runs = 100;
    const detectedAt: number[] = [];
    for (let i = 0; i < runs; i++) {
      const n = simulate(rand, 0.04, 0.12, 1500);
      if (n !== null) detectedAt.push(n);
    }
    expect(detectedAt.length / runs).toBeGreaterThanOrEqual(0.95);
    detectedAt.sort((a, b) => a - b);
    // Median detection needs only a few hundred canary decisions.
    expect(detectedAt[Math.floor(detectedAt.length / 2)]).toBeLessThanOrEqual(600);
  });

  it('never breaches below the minimum sample, however extreme the small canary looks', () => {
    const r = sequentialProportionTest({ xc: 20, nc: 40, xp: 40, np: 1000 }, OPTS);
    expect(r.excess).toBeGreaterThan(0.4);
    expect(r.enoughData).toBe(false);
    expect(r.breached).toBe(false);
  });

  it('does not breach when the canary is better, and tolerates the configured ratio', () => {
    expect(sequentialProportionTest({ xc: 10, nc: 5000, xp: 200, np: 5000 }, OPTS).breached).toBe(false);
    const within = sequentialProportionTest({ xc: 220, nc: 5000, xp: 200, np: 5000 }, { ...OPTS, ratio: 1.2 });
    expect(within.excess).toBeLessThan(0);
    expect(within.breached).toBe(false);
  });
});
