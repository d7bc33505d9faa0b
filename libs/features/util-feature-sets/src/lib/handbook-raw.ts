import { ValidationError } from '@risk/util-errors';
import type { EngineEvent } from '@risk/feature-engine';
import { HANDBOOK_LABEL, HANDBOOK_LABEL_DELAY, HANDBOOK_TX } from './handbook.feature-set';

/** Columns the engine needs from a raw handbook CSV (others, e.g. TX_FRAUD_SCENARIO or a pandas index, are ignored). */
export const HANDBOOK_RAW_COLUMNS = ['TRANSACTION_ID', 'TX_DATETIME', 'CUSTOMER_ID', 'TERMINAL_ID', 'TX_AMOUNT', 'TX_FRAUD'] as const;

export interface HandbookRawRow {
  readonly transactionId: string;
  /** epoch ms of the naive-UTC TX_DATETIME */
  readonly time: number;
  readonly customerId: string;
  readonly terminalId: string;
  readonly amount: number;
  readonly fraud: boolean;
}

export type HandbookColumnIndex = Readonly<Record<(typeof HANDBOOK_RAW_COLUMNS)[number], number>>;

export function handbookColumnIndex(header: readonly string[]): HandbookColumnIndex {
  const idx: Record<string, number> = {};
  const missing: string[] = [];
  for (const col of HANDBOOK_RAW_COLUMNS) {
    const i = header.indexOf(col);
    if (i < 0) missing.push(col);
    idx[col] = i;
  }
  if (missing.length) {
    throw new ValidationError('raw handbook CSV lacks required columns', missing.map((c) => ({ path: c, message: 'column missing' })), 'HANDBOOK_CSV_COLUMNS');
  }
  return idx as HandbookColumnIndex;
}

const digits = (s: string, from: number, len: number): number => {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
};

/** "YYYY-MM-DD HH:MM:SS" (naive, read as UTC) -> epoch ms; NaN when malformed. */
export function parseHandbookDatetime(s: string): number {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return NaN;
  return Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2));
}

export function parseHandbookRow(fields: readonly string[], idx: HandbookColumnIndex, line = 0): HandbookRawRow {
  const time = parseHandbookDatetime(fields[idx.TX_DATETIME] ?? '');
  const amount = Number(fields[idx.TX_AMOUNT]);
  const transactionId = fields[idx.TRANSACTION_ID];
  if (!transactionId || Number.isNaN(time) || !Number.isFinite(amount) || !fields[idx.CUSTOMER_ID] || !fields[idx.TERMINAL_ID]) {
    throw new ValidationError(`raw handbook CSV row ${line} is malformed`, [{ path: `line ${line}`, message: fields.join(',') }], 'HANDBOOK_CSV_ROW');
  }
  const fraudField = fields[idx.TX_FRAUD];
  return {
    transactionId,
    time,
    customerId: fields[idx.CUSTOMER_ID],
    terminalId: fields[idx.TERMINAL_ID],
    amount,
    fraud: fraudField === '1' || fraudField === '1.0' || fraudField === 'True',
  };
}

export function handbookTransactionEvent(row: HandbookRawRow): EngineEvent {
  return {
    eventId: row.transactionId,
    type: HANDBOOK_TX,
    time: row.time,
    entities: { customer: row.customerId, terminal: row.terminalId },
    values: { amount: row.amount },
  };
}

/** The transaction's label as it becomes known: delivered at tx time + 7 days. */
export function handbookLabelEvent(row: HandbookRawRow, delay = HANDBOOK_LABEL_DELAY): EngineEvent {
  return {
    eventId: `${row.transactionId}:label`,
    type: HANDBOOK_LABEL,
    time: row.time + delay,
    entities: { customer: row.customerId, terminal: row.terminalId },
    values: { fraud: row.fraud },
    ref: { eventId: row.transactionId, time: row.time },
  };
}
