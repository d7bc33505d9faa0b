import { TrainingAbortedError } from '@risk/ml';
import type { HandbookRawRow } from '@risk/feature-sets';
import { HandbookFeaturizer, HANDBOOK_FEATURE_SET, featurizeHandbookCsv, frameCacheKey, readFrameCache, writeFrameCache } from '../handbook/handbook-features';
import type { HandbookFrame } from '../handbook/handbook-frame';
import { DAY_MS, type FraudSignal } from '../labels/label-maturity';
import type { LoadOptions, TrainingData, TrainingDataSource } from './training-data.types';

/** Handbook labels are known a week after the transaction (the handbook's delay); modelled as chargebacks. */
export const HANDBOOK_LABEL_ARRIVAL_MS = 7 * DAY_MS;

function frameToTrainingData(frame: HandbookFrame, timeMs: Float64Array, opts: LoadOptions): TrainingData {
  const w = frame.featureNames.length;
  const amountCol = frame.featureNames.indexOf('TX_AMOUNT');
  const keep: number[] = [];
  for (let i = 0; i < frame.n; i++) if (timeMs[i] >= opts.window.from && timeMs[i] < opts.window.to) keep.push(i);
  const n = keep.length;
  const X = new Float32Array(n * w);
  const occurredAt = new Float64Array(n);
  const amount = new Float64Array(n);
  const transactionId: string[] = new Array(n);
  const card: string[] = new Array(n);
  const signals: FraudSignal[] = [];
  for (let k = 0; k < n; k++) {
    const i = keep[k];
    X.set(frame.X.subarray(i * w, i * w + w), k * w);
    occurredAt[k] = timeMs[i];
    amount[k] = frame.X[i * w + amountCol];
    transactionId[k] = String(frame.transactionId[i]);
    card[k] = String(frame.customerId[i]);
    if (frame.fraud[i] === 1) signals.push({ transactionId: transactionId[k], arrivedAt: timeMs[i] + HANDBOOK_LABEL_ARRIVAL_MS, source: 'chargeback' });
  }
  return {
    featureSet: { ...HANDBOOK_FEATURE_SET },
    featureNames: [...frame.featureNames],
    n,
    transactionId,
    occurredAt,
    X,
    amount,
    card,
    // The handbook has no regions or payment methods: one segment each.
    region: new Array<string>(n).fill('handbook'),
    paymentMethod: new Array<string>(n).fill('card'),
    signals,
  };
}

/** Rows from any time-ordered iterable of raw handbook rows (the in-memory simulator, a parsed file...). */
export class HandbookRowsDataSource implements TrainingDataSource {
  constructor(
    private readonly rows: () => Iterable<HandbookRawRow>,
    readonly description = 'handbook rows (in memory)',
  ) {}

  async load(opts: LoadOptions): Promise<TrainingData> {
    const fz = new HandbookFeaturizer();
    const times: number[] = [];
    for (const r of this.rows()) {
      // Features need the history before the window; only rows after its end can be skipped.
      if (r.time >= opts.window.to) break;
      fz.push(r);
      times.push(r.time);
      if (fz.rows % 50_000 === 0) {
        opts.onRows?.(fz.rows);
        await new Promise<void>((res) => setImmediate(res));
        if (opts.signal?.aborted) throw new TrainingAbortedError();
      }
    }
    opts.onRows?.(fz.rows);
    return frameToTrainingData(fz.finish(), Float64Array.from(times), opts);
  }
}

/** Rows from a raw handbook CSV, featurized through the feature engine's batch mode. */
export class HandbookCsvDataSource implements TrainingDataSource {
  /** `cachePath`: featured-frame cache (keyed by the CSV's size and mtime), so reruns skip featurization. */
  constructor(
    private readonly path: string,
    private readonly cachePath?: string,
  ) {}

  get description(): string {
    return `handbook CSV ${this.path}`;
  }

  async load(opts: LoadOptions): Promise<TrainingData> {
    const key = this.cachePath ? frameCacheKey(this.path) : '';
    let frame = this.cachePath ? readFrameCache(this.cachePath, key) : undefined;
    if (frame) opts.onRows?.(frame.n);
    else {
      frame = await featurizeHandbookCsv(this.path, opts.onRows);
      if (this.cachePath) writeFrameCache(this.cachePath, key, frame);
    }
    if (opts.signal?.aborted) throw new TrainingAbortedError();
    return frameToTrainingData(frame, frame.timeMs ?? dayTimes(frame), opts);
  }
}

/** Frames read back from the cache carry days only: rows then sit at their day's midnight. */
function dayTimes(frame: HandbookFrame): Float64Array {
  return Float64Array.from(frame.day, (d) => d * DAY_MS);
}
