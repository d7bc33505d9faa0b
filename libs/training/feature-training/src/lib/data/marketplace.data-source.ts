import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseRiskEvent, type RiskEvent } from '@risk/contract-events';
import { computeBatch, type EngineEvent } from '@risk/feature-engine';
import { checkoutFeatureSet, toFeatureEvents } from '@risk/feature-sets';
import { TrainingAbortedError } from '@risk/ml';
import { ValidationError } from '@risk/util-errors';
import { fraudSignalFromEvent, type FraudSignal } from '../labels/label-maturity';
import type { LoadOptions, TrainingData, TrainingDataSource } from './training-data.types';

type EventStream = Iterable<RiskEvent> | AsyncIterable<RiskEvent>;

interface CheckoutMeta {
  transactionId: string;
  occurredAt: number;
  amount: number;
  card: string;
  region: string;
  paymentMethod: string;
}

/**
 * Training rows from contract events (the marketplace simulator, or a JSONL export of the event log): `checkout`-set
 * vectors computed point-in-time by the feature engine's batch mode (the same engine and definitions the online
 * path serves from), and fraud signals from the label events (label.confirmed, chargeback.received,
 * payment.declined, review.completed) with their arrival times; maturity is applied by the job.
 */
export class MarketplaceEventsDataSource implements TrainingDataSource {
  constructor(
    private readonly events: () => EventStream,
    readonly description: string,
  ) {}

  async load(opts: LoadOptions): Promise<TrainingData> {
    const { from, to } = opts.window;
    const engineEvents: EngineEvent[] = [];
    const requests: EngineEvent[] = [];
    const meta: CheckoutMeta[] = [];
    const signals: FraudSignal[] = [];
    let seen = 0;
    for await (const e of this.events()) {
      if (++seen % 20_000 === 0) {
        opts.onRows?.(requests.length);
        await new Promise<void>((res) => setImmediate(res));
        if (opts.signal?.aborted) throw new TrainingAbortedError();
      }
      if (e.type === 'chargeback.received' || e.type === 'label.confirmed' || e.type === 'payment.declined' || e.type === 'review.completed') {
        // Labels arrive long after the window; every one is kept (the job decides what was known at the cut-off).
        const s = fraudSignalFromEvent(e);
        if (s) signals.push(s);
      }
      const time = Date.parse(e.occurredAt);
      // Vectors are read at request time: events at or after the window's end cannot change them.
      if (time >= to) continue;
      for (const fe of toFeatureEvents(e)) engineEvents.push(fe);
      if (e.type === 'checkout.started' && time >= from) {
        const p = e.payload;
        const fe = engineEvents[engineEvents.length - 1];
        requests.push(fe);
        meta.push({
          transactionId: p.checkoutId,
          occurredAt: time,
          amount: p.amount.value,
          card: p.subject.cardToken ?? p.subject.accountToken,
          region: e.region,
          paymentMethod: p.paymentType,
        });
      }
    }
    opts.onRows?.(requests.length);
    if (opts.signal?.aborted) throw new TrainingAbortedError();
    const batch = computeBatch(checkoutFeatureSet, engineEvents, requests);
    // Rows in time order (the events may interleave regions); computeBatch keeps the request order.
    const order = meta.map((_, i) => i).sort((a, b) => meta[a].occurredAt - meta[b].occurredAt || a - b);
    const n = order.length;
    const w = batch.width;
    const X = new Float32Array(n * w);
    const occurredAt = new Float64Array(n);
    const amount = new Float64Array(n);
    const transactionId: string[] = new Array(n);
    const card: string[] = new Array(n);
    const region: string[] = new Array(n);
    const paymentMethod: string[] = new Array(n);
    order.forEach((i, k) => {
      X.set(batch.values.subarray(i * w, i * w + w), k * w);
      const m = meta[i];
      occurredAt[k] = m.occurredAt;
      amount[k] = m.amount;
      transactionId[k] = m.transactionId;
      card[k] = m.card;
      region[k] = m.region;
      paymentMethod[k] = m.paymentMethod;
    });
    return {
      featureSet: { name: checkoutFeatureSet.name, version: checkoutFeatureSet.version },
      featureNames: [...checkoutFeatureSet.featureNames],
      n,
      transactionId,
      occurredAt,
      X,
      amount,
      card,
      region,
      paymentMethod,
      signals,
    };
  }
}

/** Contract events from a JSONL file (one event per line, as `simulate:marketplace` or an event-log export writes). */
export async function* readRiskEventsJsonl(path: string): AsyncIterableIterator<RiskEvent> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (!text.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ValidationError(`Line ${line} of the events file is not JSON`, [{ path: `line ${line}`, message: 'invalid JSON' }], 'TRAINING_EVENTS_INVALID');
      }
      yield parseRiskEvent(raw);
    }
  } finally {
    rl.close();
  }
}
