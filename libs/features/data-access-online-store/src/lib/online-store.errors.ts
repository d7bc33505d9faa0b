import { DomainError } from '@risk/util-errors';

/** The CAS apply kept losing against concurrent writers of the same entity (retried by the event log). */
export class OnlineStoreConflictError extends DomainError {
  constructor(key: string, attempts: number) {
    super('ONLINE_STORE_CONFLICT', `entity state ${key} changed concurrently ${attempts} times in a row`, 'conflict');
  }
}

export class OnlineStoreConfigError extends DomainError {
  constructor(message: string) {
    super('ONLINE_STORE_CONFIG_INVALID', message, 'invalid');
  }
}
