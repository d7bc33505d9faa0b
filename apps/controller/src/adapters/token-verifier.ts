import { createHash } from 'node:crypto';
import { DependencyUnavailableError, ForbiddenError, UnauthorizedError } from '@risk/util-errors';

export interface Caller {
  principal: string;
  role: string;
}

/**
 * Operators use their registry API tokens here too: the controller asks the registry who a token belongs to
 * (`GET /api/v1/me`) and caches the answer briefly. One token store, one revocation point.
 */
export class RegistryTokenVerifier {
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(private readonly o: { registryUrl: string; cacheMs: number; timeoutMs: number; operatorRoles: readonly string[] }) {}

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const m = /^Bearer\s+(\S{8,512})$/i.exec(authorization?.trim() ?? '');
    if (!m?.[1]) throw new UnauthorizedError('MISSING_TOKEN', 'Send Authorization: Bearer <registry api token>');
    const key = createHash('sha256').update(m[1]).digest('hex');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.caller;
    let res: Response;
    try {
      res = await fetch(`${this.o.registryUrl.replace(/\/$/, '')}/api/v1/me`, { headers: { authorization: `Bearer ${m[1]}` }, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (err) {
      throw new DependencyUnavailableError('REGISTRY_UNAVAILABLE', `Cannot verify the token: ${(err as Error).message}`);
    }
    if (res.status === 401) throw new UnauthorizedError('INVALID_TOKEN', 'The API token is unknown or revoked');
    if (!res.ok) throw new DependencyUnavailableError('REGISTRY_UNAVAILABLE', `Token check answered ${res.status}`);
    const me = (await res.json()) as Caller;
    const caller = { principal: me.principal, role: me.role };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { caller, until: Date.now() + this.o.cacheMs });
    return caller;
  }

  assertOperator(caller: Caller): void {
    if (!this.o.operatorRoles.includes(caller.role)) {
      throw new ForbiddenError('FORBIDDEN_ROLE', `Role ${caller.role} may not steer rollouts (needs ${this.o.operatorRoles.join(' or ')})`);
    }
  }
}
