import { ValidationError } from '@risk/util-errors';
import type { ErrorIssue } from '@risk/util-errors';

/** Not a contract event nor an accepted engine-event envelope: a poison message (dead-lettered with this error). */
export class IngestEventInvalidError extends ValidationError {
  constructor(message: string, issues: ErrorIssue[] = []) {
    super(message, issues, 'INGEST_EVENT_INVALID');
  }
}
