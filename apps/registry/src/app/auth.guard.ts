import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { RegistryService, type Principal } from '@risk/registry';

interface AuthedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Resolves the bearer token to a principal (401 with a machine-readable code otherwise); roles are checked in the use cases. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly registry: RegistryService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const h = req.headers['authorization'];
    req.principal = await this.registry.authenticate(Array.isArray(h) ? h[0] : h);
    return true;
  }
}

export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!p) throw new Error('AuthGuard missing on route');
  return p;
});
