import { DomainError, ValidationError } from '@risk/util-errors';
import type { ErrorIssue } from '@risk/util-errors';

/** A feature, view or feature set definition is inconsistent (caught at definition time, never at read time). */
export class FeatureDefinitionError extends ValidationError {
  constructor(message: string, issues: ErrorIssue[] = []) {
    super(message, issues, 'FEATURE_DEFINITION_INVALID');
  }
}

/** Two features of one set share a name: vectors are keyed by name, so this is always a bug. */
export class DuplicateFeatureNameError extends ValidationError {
  constructor(readonly featureName: string, setName: string) {
    super(`feature set "${setName}" defines "${featureName}" more than once`, [{ path: `features.${featureName}`, message: 'duplicate name' }], 'FEATURE_NAME_DUPLICATE');
  }
}

/** An entity key looked like raw PII (e-mail, card number): only tokens may be used as keys. */
export class EntityKeyNotTokenError extends ValidationError {
  constructor(entityName: string) {
    super(`entity "${entityName}" key must be a token, not raw PII`, [{ path: `entities.${entityName}`, message: 'raw PII rejected' }], 'ENTITY_KEY_NOT_TOKEN');
  }
}

/** A packed entity state cannot be read (corrupt, truncated, or written by another feature-set version). */
export class EntityStateDecodeError extends DomainError {
  constructor(message: string) {
    super('ENTITY_STATE_UNREADABLE', message, 'internal');
  }
}

/** Batch replay was fed events out of time order. */
export class UnsortedInputError extends ValidationError {
  constructor(message: string) {
    super(message, [], 'BATCH_INPUT_UNSORTED');
  }
}
