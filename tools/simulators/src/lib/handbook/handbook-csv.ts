import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HandbookDataset } from './handbook-simulator';

export const HANDBOOK_CSV_HEADER =
  'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO';

const CENTS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const ROWS_PER_CHUNK = 8192;

/** Integer cents as "123.45" without floating-point formatting. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${CENTS[cents - whole * 100]}`;
}

/** CSV lines (header first), chunked so callers can stream them without holding the whole file. */
export function* handbookCsvChunks(dataset: HandbookDataset): IterableIterator<string> {
  yield `${HANDBOOK_CSV_HEADER}\n`;
  const { customerId, terminalId, amountCents, timeSeconds, fraud, scenario } = dataset.columns;
  const n = dataset.size;
  for (let start = 0; start < n; start += ROWS_PER_CHUNK) {
    const end = Math.min(n, start + ROWS_PER_CHUNK);
    let chunk = '';
    for (let i = start; i < end; i++) {
      const s = timeSeconds[i] as number;
      chunk += `${i},${dataset.datetime(s)},${customerId[i]},${terminalId[i]},${formatCents(amountCents[i] as number)},${s},${Math.floor(
        s / 86400,
      )},${fraud[i]},${scenario[i]}\n`;
    }
    yield chunk;
  }
}

/** Streams the dataset to `path` in the raw handbook CSV format, honouring back-pressure. */
export async function writeHandbookCsv(dataset: HandbookDataset, path: string): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  try {
    for (const chunk of handbookCsvChunks(dataset)) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return { rows: dataset.size, bytes };
}
