export {
  DomainError,
  ValidationError,
  NotFoundError,
  ConflictError,
  UnauthorizedError,
  ForbiddenError,
  DependencyUnavailableError,
  HTTP_STATUS_BY_KIND,
} from './lib/domain.error';
export type { ErrorKind, ErrorIssue } from './lib/domain.error';
