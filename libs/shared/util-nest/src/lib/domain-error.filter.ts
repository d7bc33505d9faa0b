import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { DomainError, HTTP_STATUS_BY_KIND, type ErrorIssue } from '@risk/util-errors';
import type { Logger } from 'pino';

export interface ErrorBody {
  error: { code: string; message: string; errorId: string; issues?: ErrorIssue[] };
}

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): unknown;
  header?(name: string, value: string): unknown;
}

const HTTP_CODE_NAMES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** Maps anything thrown to a JSON error with a machine-readable code and an errorId; never leaks stacks. */
export function toErrorResponse(err: unknown, errorId: string = randomUUID()): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    const status = HTTP_STATUS_BY_KIND[err.kind];
    return { status, body: { error: { code: err.code, message: err.message, errorId, ...(err.issues.length ? { issues: err.issues } : {}) } } };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = HTTP_CODE_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    return { status, body: { error: { code, message: status >= 500 ? 'Internal error' : err.message, errorId } } };
  }
  // Fastify raises its own errors (body too large, bad JSON, bad content type) with statusCode and code.
  const fe = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_REQUEST';
    return { status: fe.statusCode, body: { error: { code, message: fe.message ?? 'Bad request', errorId } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error', errorId } } };
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  constructor(private readonly logger?: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500) this.logger?.error({ err: exception, errorId: body.error.errorId }, 'unhandled error');
    else this.logger?.debug({ code: body.error.code, errorId: body.error.errorId }, 'request rejected');
    reply.status(status).send(body);
  }
}
