import { allowedTargets, assertTransition, isLegalTransition, STAGES, type Stage, type TransitionAction } from './stage-machine';

describe('stage machine', () => {
  it('lets a candidate walk shadow -> canary -> production only through approved promotions', () => {
    expect(isLegalTransition('candidate', 'shadow', 'transition')).toBe(true);
    expect(isLegalTransition('shadow', 'canary', 'transition')).toBe(false);
    expect(isLegalTransition('shadow', 'canary', 'promote')).toBe(true);
    expect(isLegalTransition('canary', 'production', 'promote')).toBe(true);
    expect(isLegalTransition('canary', 'production', 'transition')).toBe(false);
  });

  it('never lets production be left except by displacement or rollback', () => {
    expect(allowedTargets('production', 'transition')).toEqual([]);
    expect(allowedTargets('production', 'promote')).toEqual([]);
    expect(allowedTargets('production', 'displace')).toEqual(['archived']);
    expect(allowedTargets('production', 'rollback')).toEqual(['archived']);
  });

  it('only revives archived versions by rollback', () => {
    for (const action of ['transition', 'promote', 'displace'] as TransitionAction[]) expect(allowedTargets('archived', action)).toEqual([]);
    expect(allowedTargets('archived', 'rollback')).toEqual(['production']);
  });

  it('rejects illegal and self transitions with machine-readable codes', () => {
    expect(() => assertTransition('candidate', 'production', 'transition')).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION', kind: 'conflict' }));
    expect(() => assertTransition('archived', 'shadow', 'transition')).toThrow(/archived to shadow/);
    expect(() => assertTransition('shadow', 'shadow', 'transition')).toThrow(/already shadow/);
  });

  it('has no transition into candidate-by-promotion and no promotion out of production (exhaustive table check)', () => {
    const legal: string[] = [];
    for (const from of STAGES as readonly Stage[])
      for (const to of STAGES as readonly Stage[])
        for (const a of ['transition', 'promote', 'displace', 'rollback'] as TransitionAction[]) if (isLegalTransition(from, to, a)) legal.push(`${from}>${to}:${a}`);
    expect(legal.sort()).toEqual(
      [
        'archived>production:rollback',
        'canary>archived:transition',
        'canary>candidate:displace',
        'canary>candidate:transition',
        'canary>production:promote',
        'canary>shadow:transition',
        'candidate>archived:transition',
        'candidate>canary:promote',
        'candidate>production:promote',
        'candidate>shadow:transition',
        'production>archived:displace',
        'production>archived:rollback',
        'shadow>archived:transition',
        'shadow>candidate:displace',
        'shadow>candidate:transition',
        'shadow>canary:promote',
      ].sort(),
    );
  });
});
