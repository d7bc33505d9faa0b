import { ValidationError } from '@risk/util-errors';
import { parseRegionDays, parseRetentionPolicy, retentionDaysFor } from './retention.policy';

describe('retention policy', () => {
  it('parses the env form per region and refuses unknown regions or bad days', () => {
    expect(parseRegionDays('eu=90, us=180')).toEqual({ eu: 90, us: 180 });
    expect(() => parseRegionDays('mars=10')).toThrow(ValidationError);
    expect(() => parseRegionDays('eu=-1')).toThrow(/positive days/);
  });

  it('refuses SQL that is not a plain identifier and applies per-table overrides', () => {
    expect(() => parseRetentionPolicy({ days: { eu: 90 }, targets: [{ table: 'x"; DROP TABLE y; --' }] })).toThrow(ValidationError);
    const p = parseRetentionPolicy({ days: { eu: 90 }, targets: [{ table: 'A' }, { table: 'B', days: { eu: 400 } }] });
    const [a, b] = p.targets;
    if (!a || !b) throw new Error('two targets expected');
    expect(retentionDaysFor(p, a, 'eu')).toBe(90);
    expect(retentionDaysFor(p, b, 'eu')).toBe(400);
    expect(retentionDaysFor(p, a, 'us')).toBeUndefined();
    expect(p.batchSize).toBe(5000);
  });
});
