import type { FraudSignal } from '../labels/label-maturity';

/** Served (or recomputed) feature rows with what the evaluation needs beside them, column-oriented. */
export interface TrainingData {
  featureSet: { name: string; version: number };
  featureNames: string[];
  n: number;
  transactionId: string[];
  /** epoch ms */
  occurredAt: Float64Array;
  /** Row-major n x featureNames.length, raw (unscaled) feature values. */
  X: Float32Array;
  /** Transaction amount in its currency unit (for expected cost). */
  amount: Float64Array;
  /** Card / account token for Card Precision@k. */
  card: string[];
  region: string[];
  paymentMethod: string[];
  /** Every fraud signal with its arrival time; maturity is applied by the job, not the source. */
  signals: FraudSignal[];
}

export interface LoadOptions {
  /** Rows with occurredAt in [from, to) are needed (train and evaluation windows together). */
  window: { from: number; to: number };
  signal?: AbortSignal;
  onRows?: (rows: number) => void;
}

/** Port: where training rows come from (served-feature log, raw handbook CSV, simulator events...). */
export interface TrainingDataSource {
  readonly description: string;
  load(opts: LoadOptions): Promise<TrainingData>;
}
