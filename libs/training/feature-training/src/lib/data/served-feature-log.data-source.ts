import type { Pool } from 'pg';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { TrainingAbortedError } from '@risk/ml';
import { ValidationError } from '@risk/util-errors';
import type { FraudSignal, LabelSignalSource } from '../labels/label-maturity';
import type { LoadOptions, TrainingData, TrainingDataSource } from './training-data.types';

export interface ServedFeatureLogSourceOptions {
  /** Pool whose search_path reaches "ServedFeatureVector" (public, or a test schema). */
  pool: Pool;
  region: string;
  /** Feature set the rows were served for; defaults to the `checkout` set (name, version and column order). */
  featureSet?: { name: string; version: number; featureNames: readonly string[] };
  /** Rows fetched per keyset page. */
  pageSize?: number;
}

const SOURCES: ReadonlySet<LabelSignalSource> = new Set(['chargeback', 'issuer_fraud_report', 'manual_review', 'customer_confirmed', 'authorisation_failure', 'review_rejected']);

interface LogRow {
  id: string;
  checkoutId: string;
  servedAt: Date;
  featureNames: string[];
  values: number[];
  entityTokens: Record<string, string>;
  label: string | null;
  labelSource: string | null;
  labelledAt: Date | null;
}

/**
 * Training rows from the served-feature log: the exact vectors the scorer served (no recomputation), one per
 * checkout (the last one served, i.e. the vector behind the standing decision), joined with the fraud labels the
 * feature service wrote onto the log (`label`, `labelSource`, `labelledAt`). A `legitimate` label in the log is
 * not trusted as such: legitimacy comes from label maturity (the chargeback window at the cut-off), applied by the
 * job. Fraud labels from unknown sources are ignored and counted.
 */
export class ServedFeatureLogDataSource implements TrainingDataSource {
  private readonly set: { name: string; version: number; featureNames: readonly string[] };
  /** Fraud labels whose source maps onto no signal source (last load). */
  ignoredLabels = 0;

  constructor(private readonly o: ServedFeatureLogSourceOptions) {
    this.set = o.featureSet ?? { name: checkoutFeatureSet.name, version: checkoutFeatureSet.version, featureNames: checkoutFeatureSet.featureNames };
  }

  get description(): string {
    return `served-feature log (region=${this.o.region}, featureSet=${this.set.name}@${this.set.version})`;
  }

  async load(opts: LoadOptions): Promise<TrainingData> {
    const names = this.set.featureNames;
    const w = names.length;
    const expectedNames = names.join('\u0000');
    const amountCol = names.indexOf('amount');
    const pageSize = this.o.pageSize ?? 20_000;
    // One row per checkout; a re-served checkout (client retry) replaces its earlier vector.
    const byCheckout = new Map<string, number>();
    const rows: { checkoutId: string; servedAt: number; values: number[]; card: string; paymentMethod: string }[] = [];
    const signals: FraudSignal[] = [];
    this.ignoredLabels = 0;
    let lastNames: string[] | undefined;
    let cursor: { servedAt: Date; id: string } | undefined;
    let fetched = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new TrainingAbortedError();
      const params: unknown[] = [this.o.region, this.set.name, this.set.version, new Date(opts.window.from), new Date(opts.window.to), pageSize];
      let after = '';
      if (cursor) {
        params.push(cursor.servedAt, cursor.id);
        after = 'AND ("servedAt", "id") > ($7, $8::uuid)';
      }
      const res = await this.o.pool.query<LogRow>(
        `SELECT "id", "checkoutId", "servedAt", "featureNames", "values", "entityTokens", "label", "labelSource", "labelledAt"
           FROM "ServedFeatureVector"
          WHERE "region" = $1 AND "featureSet" = $2 AND "featureSetVersion" = $3 AND "servedAt" >= $4 AND "servedAt" < $5 ${after}
          ORDER BY "servedAt", "id" LIMIT $6`,
        params,
      );
      for (const r of res.rows) {
        if (r.featureNames !== lastNames) {
          if (r.featureNames.join('\u0000') !== expectedNames) {
            throw new ValidationError(
              `Served vector ${r.id} has columns that differ from ${this.set.name}@${this.set.version}`,
              [{ path: 'featureNames', message: `${r.featureNames.length} served vs ${w} expected` }],
              'SERVED_LOG_FEATURES_MISMATCH',
            );
          }
          lastNames = r.featureNames;
        }
        const tokens = r.entityTokens ?? {};
        const row = {
          checkoutId: r.checkoutId,
          servedAt: r.servedAt.getTime(),
          values: r.values,
          card: tokens['card'] ?? tokens['account'] ?? r.checkoutId,
          paymentMethod: tokens['payment_method'] ?? 'unknown',
        };
        const prev = byCheckout.get(r.checkoutId);
        if (prev === undefined) {
          byCheckout.set(r.checkoutId, rows.length);
          rows.push(row);
        } else rows[prev] = row;
        if (r.label === 'fraud' && r.labelledAt) {
          const source = r.labelSource as LabelSignalSource;
          if (SOURCES.has(source)) signals.push({ transactionId: r.checkoutId, arrivedAt: r.labelledAt.getTime(), source });
          else this.ignoredLabels++;
        }
      }
      fetched += res.rows.length;
      opts.onRows?.(fetched);
      if (res.rows.length < pageSize) break;
      const last = res.rows[res.rows.length - 1];
      cursor = { servedAt: last.servedAt, id: last.id };
    }
    // A re-served checkout moved later in time: restore time order.
    const order = rows.map((_, i) => i).sort((a, b) => rows[a].servedAt - rows[b].servedAt || a - b);
    const n = order.length;
    const X = new Float32Array(n * w);
    const occurredAt = new Float64Array(n);
    const amount = new Float64Array(n);
    const transactionId: string[] = new Array(n);
    const card: string[] = new Array(n);
    const paymentMethod: string[] = new Array(n);
    order.forEach((i, k) => {
      const r = rows[i];
      for (let f = 0; f < w; f++) X[k * w + f] = r.values[f];
      occurredAt[k] = r.servedAt;
      amount[k] = amountCol >= 0 ? r.values[amountCol] : 0;
      transactionId[k] = r.checkoutId;
      card[k] = r.card;
      paymentMethod[k] = r.paymentMethod;
    });
    return {
      featureSet: { name: this.set.name, version: this.set.version },
      featureNames: [...names],
      n,
      transactionId,
      occurredAt,
      X,
      amount,
      card,
      region: new Array<string>(n).fill(this.o.region),
      paymentMethod,
      signals,
    };
  }
}
