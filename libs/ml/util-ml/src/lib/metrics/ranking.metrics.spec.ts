import { aucRoc, averagePrecision, downsample, prCurve, recallAtFpr, rocCurve } from './ranking.metrics';

describe('ranking metrics', () => {
  it('AUC ROC and AP match sklearn on the textbook example', () => {
    // sklearn: roc_auc_score = 0.75, average_precision_score = 0.8333...
    const y = [0, 0, 1, 1];
    const s = [0.1, 0.4, 0.35, 0.8];
    expect(aucRoc(s, y)).toBeCloseTo(0.75, 12);
    expect(averagePrecision(s, y)).toBeCloseTo(5 / 6, 12);
  });

  it('counts tied scores as half in AUC and groups them in AP', () => {
    // pos 0.9 beats both negatives (2), pos 0.5 ties both (2 x 0.5) => 3/4.
    const y = [0, 1, 0, 1];
    const s = [0.5, 0.5, 0.5, 0.9];
    expect(aucRoc(s, y)).toBeCloseTo(0.75, 12);
    // threshold 0.9: P=1, R=0.5; threshold 0.5: P=2/4, R=1 => 0.5*1 + 0.5*0.5.
    expect(averagePrecision(s, y)).toBeCloseTo(0.75, 12);
  });

  it('gives 1 for a perfect ranking, 0 for a reversed one and NaN with one class', () => {
    expect(aucRoc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(aucRoc([0.1, 0.2, 0.9], [1, 1, 0])).toBe(0);
    expect(aucRoc([0.1, 0.2], [0, 0])).toBeNaN();
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNaN();
  });

  it('recall at a fixed FPR picks the loosest threshold within the budget', () => {
    // Descending: 0.9(1) 0.8(0) 0.7(1) 0.6(1) 0.5(0) 0.4(0) 0.3(0) 0.2(0); 5 negatives.
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
    const y = [1, 0, 1, 1, 0, 0, 0, 0];
    expect(recallAtFpr(s, y, 0)).toEqual({ recall: 1 / 3, fpr: 0, threshold: 0.9 });
    expect(recallAtFpr(s, y, 0.2)).toEqual({ recall: 1, fpr: 0.2, threshold: 0.6 });
  });

  it('curves start at the right corner and are downsampled to at most 200 points', () => {
    const n = 5000;
    const s = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const y = s.map((v) => (v % 3 === 0 ? 1 : 0));
    const roc = rocCurve(s, y);
    expect(roc.length).toBeLessThanOrEqual(200);
    expect(roc[0]).toMatchObject({ x: 0, y: 0 });
    expect(roc[roc.length - 1]).toMatchObject({ x: 1, y: 1 });
    const pr = prCurve(s, y);
    expect(pr.length).toBeLessThanOrEqual(200);
    expect(pr[pr.length - 1].x).toBe(1);
    expect(pr[pr.length - 1].y).toBeCloseTo(y.filter((v) => v === 1).length / n, 12);
    expect(downsample([1, 2, 3], 200)).toEqual([1, 2, 3]);
  });
});
