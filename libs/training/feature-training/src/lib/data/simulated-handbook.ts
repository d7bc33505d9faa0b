import type { HandbookRawRow } from '@risk/feature-sets';
import type { HandbookDataset } from '@risk/simulators';
import { HandbookFeaturizer } from '../handbook/handbook-features';
import type { HandbookFrame } from '../handbook/handbook-frame';

/** Raw rows of an in-memory simulated handbook dataset, in time order. */
export function* simulatedHandbookRows(ds: HandbookDataset): IterableIterator<HandbookRawRow> {
  const start = Date.parse(`${ds.options.startDate}T00:00:00Z`);
  const c = ds.columns;
  for (let i = 0; i < ds.size; i++) {
    yield {
      transactionId: String(i),
      time: start + c.timeSeconds[i] * 1000,
      customerId: String(c.customerId[i]),
      terminalId: String(c.terminalId[i]),
      amount: c.amountCents[i] / 100,
      fraud: c.fraud[i] === 1,
    };
  }
}

/** Featured frame of any time-ordered raw rows, through the feature engine's batch mode. */
export function featurizeHandbookRows(rows: Iterable<HandbookRawRow>): HandbookFrame {
  const fz = new HandbookFeaturizer();
  for (const r of rows) fz.push(r);
  return fz.finish();
}
