import { NotFoundException } from '@nestjs/common';
import { ForbiddenError, ValidationError } from '@risk/util-errors';
import { toErrorResponse } from './domain-error.filter';

describe('toErrorResponse', () => {
  it('maps domain errors to status and code with issues', () => {
    const r = toErrorResponse(new ValidationError('bad', [{ path: 'amount', message: 'required' }]), 'id1');
    expect(r).toEqual({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'bad', errorId: 'id1', issues: [{ path: 'amount', message: 'required' }] } } });
    expect(toErrorResponse(new ForbiddenError('ROLE', 'no')).status).toBe(403);
  });

  it('maps Nest and Fastify errors and hides internals', () => {
    expect(toErrorResponse(new NotFoundException()).body.error.code).toBe('NOT_FOUND');
    expect(toErrorResponse({ statusCode: 413, message: 'too big' }).body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const internal = toErrorResponse(new Error('db password=hunter2 at line 3'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('hunter2');
  });
});
