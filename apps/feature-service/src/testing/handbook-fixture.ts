import type { EngineEvent } from '@risk/feature-engine';
import { handbookLabelEvent, handbookTransactionEvent, parseHandbookDatetime } from '@risk/feature-sets';
import type { HandbookRawRow } from '@risk/feature-sets';
import { simulateHandbook } from '@risk/simulators';

/** Small simulated handbook history: raw rows and their events (transactions + labels 7 days later), time-ordered. */
export function handbookHistory(opts: { customers: number; terminals: number; days: number; seed: number; maxRows: number }): { rows: HandbookRawRow[]; events: EngineEvent[] } {
  const ds = simulateHandbook({ customers: opts.customers, terminals: opts.terminals, days: opts.days, seed: opts.seed });
  const rows: HandbookRawRow[] = [];
  for (let i = 0; i < Math.min(opts.maxRows, ds.size); i++) {
    const r = ds.row(i);
    rows.push({ transactionId: String(r.transactionId), time: parseHandbookDatetime(r.txDatetime), customerId: String(r.customerId), terminalId: String(r.terminalId), amount: r.txAmount, fraud: r.txFraud === 1 });
  }
  const events: EngineEvent[] = [];
  for (const r of rows) events.push(handbookTransactionEvent(r), handbookLabelEvent(r));
  // stable sort: a label shares its time with a later transaction only after it, as the batch replay orders them
  events.sort((a, b) => a.time - b.time);
  return { rows, events };
}
