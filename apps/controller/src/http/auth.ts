import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The raw Authorization header; the controller verifies it against the registry (see RegistryTokenVerifier). */
export const Authorization = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const h = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['authorization'];
  return Array.isArray(h) ? h[0] : h;
});
