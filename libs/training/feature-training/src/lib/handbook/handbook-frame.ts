/**
 * A handbook dataset with its features, column-oriented: row i is one transaction. `day` is the UTC day number
 * (days since 1970-01-01) of TX_DATETIME, which is what the protocol's date windows select on.
 */
export interface HandbookFrame {
  n: number;
  transactionId: Float64Array;
  customerId: Int32Array;
  day: Int32Array;
  fraud: Uint8Array;
  /** epoch ms of each row, when known (not kept in the feature cache). */
  timeMs?: Float64Array;
  featureNames: readonly string[];
  /** Row-major n x featureNames.length. */
  X: Float32Array;
}

export const dayNumber = (isoDate: string): number => {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return Math.floor(ms / 86_400_000);
};

export const isoDate = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** Parses "YYYY-MM-DD HH:MM:SS" (naive, read as UTC) to epoch ms without allocating a Date. */
export function parseHandbookDatetime(s: string): number {
  const y = +s.slice(0, 4);
  const mo = +s.slice(5, 7);
  const d = +s.slice(8, 10);
  const h = +s.slice(11, 13);
  const mi = +s.slice(14, 16);
  const se = +s.slice(17, 19);
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  if (Number.isNaN(ms)) throw new RangeError(`bad TX_DATETIME: ${s}`);
  return ms;
}
