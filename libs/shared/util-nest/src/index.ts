export { DomainErrorFilter, toErrorResponse } from './lib/domain-error.filter';
export type { ErrorBody } from './lib/domain-error.filter';
export { createHttpApp } from './lib/bootstrap';
export type { HttpAppOptions } from './lib/bootstrap';
