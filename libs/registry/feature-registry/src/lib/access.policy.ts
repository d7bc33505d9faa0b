import { ForbiddenError } from '@risk/util-errors';

export const HUMAN_ROLES = ['ml-engineer', 'release-manager', 'viewer'] as const;
export const SERVICE_ROLES = ['scorer', 'controller', 'trainer'] as const;
export const ROLES = [...HUMAN_ROLES, ...SERVICE_ROLES] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  principal: string;
  role: Role;
  tokenId: string;
}

export type Permission =
  | 'read'
  | 'model.register'
  | 'version.register'
  | 'artifact.upload'
  | 'stage.transition'
  | 'promotion.request'
  | 'promotion.approve'
  | 'promotion.execute'
  | 'rollback'
  | 'freeze.manage'
  | 'freeze.override'
  | 'alias.set'
  | 'rollout.append'
  | 'evidence.attach'
  | 'webhook.manage';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  scorer: ['read'],
  trainer: ['read', 'model.register', 'version.register', 'artifact.upload', 'evidence.attach'],
  'ml-engineer': ['read', 'model.register', 'version.register', 'artifact.upload', 'stage.transition', 'promotion.request', 'alias.set', 'evidence.attach'],
  'release-manager': [
    'read',
    'stage.transition',
    'promotion.request',
    'promotion.approve',
    'promotion.execute',
    'rollback',
    'freeze.manage',
    'freeze.override',
    'alias.set',
    'rollout.append',
    'evidence.attach',
    'webhook.manage',
  ],
  // The canary controller executes requests a release manager approved, rolls back on a breach, and writes the timeline.
  controller: ['read', 'stage.transition', 'promotion.request', 'promotion.execute', 'rollback', 'rollout.append', 'evidence.attach'],
};

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

export function authorize(actor: Principal, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new ForbiddenError('FORBIDDEN_ROLE', `Role ${actor.role} may not ${permission}`);
  }
}
