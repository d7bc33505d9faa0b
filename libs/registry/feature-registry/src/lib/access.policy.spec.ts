import { authorize, can, ROLES } from './access.policy';

describe('access policy', () => {
  it('gives every role read access and only release managers approval and freeze powers', () => {
    for (const r of ROLES) expect(can(r, 'read')).toBe(true);
    expect(ROLES.filter((r) => can(r, 'promotion.approve'))).toEqual(['release-manager']);
    expect(ROLES.filter((r) => can(r, 'freeze.override'))).toEqual(['release-manager']);
    expect(ROLES.filter((r) => can(r, 'rollback')).sort()).toEqual(['controller', 'release-manager']);
    expect(ROLES.filter((r) => can(r, 'version.register')).sort()).toEqual(['ml-engineer', 'trainer']);
  });

  it('throws a 403-kind error with a stable code', () => {
    expect(() => authorize({ principal: 'v', role: 'viewer', tokenId: 't' }, 'rollback')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_ROLE', kind: 'forbidden' }),
    );
  });
});
