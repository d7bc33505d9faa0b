import { DomainError } from '@risk/util-errors';

export const ML_ERROR_CODES = {
  checksumMismatch: 'MODEL_CHECKSUM_MISMATCH',
  bundleInvalid: 'MODEL_BUNDLE_INVALID',
  datasetInvalid: 'ML_DATASET_INVALID',
  trainingAborted: 'ML_TRAINING_ABORTED',
  featureMismatch: 'MODEL_FEATURE_MISMATCH',
} as const;

/** The bundle bytes do not hash to the checksum the registry recorded. */
export class ModelChecksumMismatchError extends DomainError {
  constructor(expected: string, actual: string) {
    super(ML_ERROR_CODES.checksumMismatch, `Model bundle sha256 ${actual} does not match expected ${expected}`, 'precondition');
  }
}

/** The bundle is not a well-formed checkout-risk-model document. */
export class ModelBundleInvalidError extends DomainError {
  constructor(message: string, issues: { path: string; message: string }[] = []) {
    super(ML_ERROR_CODES.bundleInvalid, message, 'invalid', issues);
  }
}

export class DatasetInvalidError extends DomainError {
  constructor(message: string) {
    super(ML_ERROR_CODES.datasetInvalid, message, 'invalid');
  }
}

export class TrainingAbortedError extends DomainError {
  constructor() {
    super(ML_ERROR_CODES.trainingAborted, 'Training was cancelled', 'conflict');
  }
}

/** The bundle was trained on another feature set (or another feature order) than the caller serves. */
export class ModelFeatureMismatchError extends DomainError {
  constructor(message: string) {
    super(ML_ERROR_CODES.featureMismatch, message, 'precondition');
  }
}
