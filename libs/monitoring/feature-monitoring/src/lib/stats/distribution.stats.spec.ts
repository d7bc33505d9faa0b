import { buildDistribution, emptyDistribution, ksDistance, mixDistance, observe, psi, quantileEdges } from './distribution.stats';

// Seeded normal draws so the figures are reproducible.
function normals(n: number, mean: number, sd: number, seed: number): number[] {
  let s = seed;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / (2 ** 32 + 2);
  };
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

const liveOf = (ref: ReturnType<typeof buildDistribution>, xs: (number | null)[]) => {
  const d = emptyDistribution(ref.edges);
  for (const x of xs) observe(d, x);
  return d;
};

describe('distribution stats', () => {
  const ref = buildDistribution(normals(20_000, 0, 1, 7), null, 10);

  it('puts ~10% of the reference in each quantile bin', () => {
    expect(ref.edges).toHaveLength(9);
    for (const c of ref.counts) expect(c / ref.total).toBeCloseTo(0.1, 2);
  });

  it('PSI and KS stay small for a sample of the same distribution and grow with a shift', () => {
    const same = liveOf(ref, normals(2_000, 0, 1, 99));
    expect(psi(ref, same)).toBeLessThan(0.02);
    expect(ksDistance(ref, same)).toBeLessThan(0.04);
    const shifted = liveOf(ref, normals(2_000, 0.8, 1, 99));
    expect(psi(ref, shifted)).toBeGreaterThan(0.4);
    expect(ksDistance(ref, shifted)).toBeGreaterThan(0.25);
  });

  it('a feature going missing is a large PSI through the missing bin', () => {
    const gone = liveOf(ref, new Array<null>(500).fill(null));
    expect(psi(ref, gone)).toBeGreaterThan(3);
    expect(ksDistance(ref, gone)).toBeCloseTo(1, 5);
  });

  it('discrete features get one bin per value', () => {
    expect(quantileEdges([0, 0, 0, 1, 1, 0, 0, 1], 10)).toEqual([0, 1]);
    expect(quantileEdges([3, 3, 3], 10)).toEqual([3]);
    const flags = buildDistribution([0, 0, 1, 1], null);
    const allOnes = liveOf(flags, [1, 1, 1, 1, 1, 1, 1, 1]);
    expect(psi(flags, allOnes)).toBeGreaterThan(0.5);
  });

  it('mix distance is total variation', () => {
    expect(mixDistance({ allow: 0.9, decline: 0.1 }, { allow: 90, decline: 10 })).toBeCloseTo(0, 10);
    expect(mixDistance({ allow: 0.9, decline: 0.1 }, { allow: 0.7, decline: 0.1, step_up: 0.2 })).toBeCloseTo(0.2, 10);
  });
});
