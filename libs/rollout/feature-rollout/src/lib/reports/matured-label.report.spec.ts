import { maturedLabelReport, type CanaryDecisionRecord, type MaturedLabel } from './matured-label.report';

function arm(name: 'production' | 'canary', n: number, fraudEvery: number, catchFraud: number, declineLegitEvery: number): { d: CanaryDecisionRecord[]; l: MaturedLabel[] } {
  const d: CanaryDecisionRecord[] = [];
  const l: MaturedLabel[] = [];
  let caught = 0;
  let frauds = 0;
  for (let i = 0; i < n; i++) {
    const id = `${name}_${i}`;
    const fraud = i % fraudEvery === 0;
    let action = 'allow';
    if (fraud) {
      frauds++;
      if (caught < frauds * catchFraud) {
        action = 'decline';
        caught++;
      }
    } else if (i % declineLegitEvery === 0) action = 'decline';
    d.push({ checkoutId: id, arm: name, action, region: 'eu', amount: 100 });
    l.push({ checkoutId: id, label: fraud ? 'fraud' : 'legitimate' });
  }
  return { d, l };
}

describe('maturedLabelReport', () => {
  it('says improved when the canary let less fraud through and declined fewer good customers', () => {
    const p = arm('production', 5000, 50, 0.5, 40);
    const c = arm('canary', 2000, 50, 0.8, 80);
    const r = maturedLabelReport([...p.d, ...c.d], [...p.l, ...c.l]);
    expect(r.production.fraudLossRate).toBeCloseTo(0.5, 1);
    expect(r.canary.fraudLossRate).toBeCloseTo(0.2, 1);
    expect(r.canary.falseDeclineRate).toBeLessThan(r.production.falseDeclineRate);
    expect(r.verdict).toBe('improved');
    expect(r.labelCoverage).toBe(1);
  });

  it('says worse, mixed or insufficient_labels when that is what the labels show', () => {
    const p = arm('production', 5000, 50, 0.8, 80);
    const worse = arm('canary', 2000, 50, 0.5, 40);
    expect(maturedLabelReport([...p.d, ...worse.d], [...p.l, ...worse.l]).verdict).toBe('worse');
    const mixed = arm('canary', 2000, 50, 0.95, 20);
    expect(maturedLabelReport([...p.d, ...mixed.d], [...p.l, ...mixed.l]).verdict).toBe('mixed');
    expect(maturedLabelReport([...p.d, ...mixed.d], p.l).verdict).toBe('insufficient_labels');
  });
});
