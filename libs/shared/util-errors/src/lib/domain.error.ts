/** How an error maps onto a transport; apps translate this to HTTP in one global filter. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition'
  | 'too_large'
  | 'unavailable'
  | 'internal';

export interface ErrorIssue {
  path: string;
  message: string;
  code?: string;
}

/** Base of every error a lib throws on purpose: it carries a stable machine-readable code. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind = 'invalid',
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, issues: ErrorIssue[] = [], code = 'VALIDATION_FAILED') {
    super(code, message, 'invalid', issues);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'not_found');
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'conflict');
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code = 'UNAUTHENTICATED', message = 'A valid bearer token is required') {
    super(code, message, 'unauthorized');
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'forbidden');
  }
}

export class DependencyUnavailableError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'unavailable');
  }
}

export const HTTP_STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition: 412,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};
