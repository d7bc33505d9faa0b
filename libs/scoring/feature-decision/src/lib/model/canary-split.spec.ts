import { inCanary, stableBucket } from './canary-split';

describe('canary split', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `chk_${i.toString(36)}_${(i * 7919) % 1000}`);
  it('is stable and matches the requested share', () => {
    expect(stableBucket('chk_abc')).toBe(stableBucket('chk_abc'));
    for (const pct of [1, 5, 25, 50]) {
      const share = ids.filter((id) => inCanary(id, pct)).length / ids.length;
      expect(Math.abs(share - pct / 100)).toBeLessThan(0.01 + pct / 1000);
    }
  });
  it('is monotone: a checkout in the 5% canary stays in it at 25%', () => {
    const at5 = ids.filter((id) => inCanary(id, 5));
    expect(at5.every((id) => inCanary(id, 25))).toBe(true);
    expect(ids.some((id) => inCanary(id, 0))).toBe(false);
    expect(ids.every((id) => inCanary(id, 100))).toBe(true);
  });
});
