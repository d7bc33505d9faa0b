import { DependencyUnavailableError, ValidationError } from '@risk/util-errors';

export class EventLogUnavailableError extends DependencyUnavailableError {
  constructor(message: string, override readonly cause?: unknown) {
    super('EVENT_LOG_UNAVAILABLE', message);
  }
}

export class EventLogConfigError extends ValidationError {
  constructor(message: string, issues: { path: string; message: string }[] = []) {
    super(message, issues, 'EVENT_LOG_CONFIG_INVALID');
  }
}

export class EventLogClosedError extends DependencyUnavailableError {
  constructor() {
    super('EVENT_LOG_CLOSED', 'The event log is closed');
  }
}
