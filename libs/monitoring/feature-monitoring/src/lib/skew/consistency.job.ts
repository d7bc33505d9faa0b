import { computeBatch } from '@risk/feature-engine';
import type { EngineEvent, FeatureRequest, FeatureSet } from '@risk/feature-engine';
import type { MonitoringAlert, ServedVector } from '../monitoring.types';
import { MONITORING_ALERTS } from '../monitoring.types';

/** Port: the event history the batch engine replays (the event log's retained history, or the warehouse). */
export interface EventHistory {
  /** Engine events with time <= untilMs (any order; the batch engine sorts). */
  eventsUntil(untilMs: number): Promise<readonly EngineEvent[]>;
  /** The feature request (checkout attempt as the engine sees it) behind a served vector; undefined if unknown. */
  requestFor(served: ServedVector): Promise<FeatureRequest | undefined>;
}

export interface ConsistencyOptions {
  /** Mismatch rate per feature above which the job alerts. */
  maxMismatchRate: number;
  /** Values are equal when |a-b| <= absTol + relTol * max(|a|,|b|) (online state stores some values as float32). */
  absTol: number;
  relTol: number;
  /** Example request ids carried by an alert. */
  examples: number;
}

export const DEFAULT_CONSISTENCY_OPTIONS: ConsistencyOptions = { maxMismatchRate: 0.01, absTol: 1e-6, relTol: 1e-3, examples: 5 };

export interface FeatureSkewRow {
  feature: string;
  checked: number;
  mismatches: number;
  mismatchRate: number;
  exampleRequestIds: string[];
  examples: { requestId: string; served: number | null; offline: number | null }[];
}

export interface ConsistencyReport {
  at: string;
  sampled: number;
  /** served vectors whose request could not be found in the history */
  unresolved: number;
  features: FeatureSkewRow[];
  breaches: MonitoringAlert[];
}

/** Deterministic sample of `n` vectors (reservoir with a seeded LCG; the job's sample is reproducible in tests). */
export function sampleServed(vectors: readonly ServedVector[], n: number, seed = 1): ServedVector[] {
  if (vectors.length <= n) return [...vectors];
  let s = seed >>> 0 || 1;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out = vectors.slice(0, n);
  for (let i = n; i < vectors.length; i++) {
    const j = Math.floor(rnd() * (i + 1));
    if (j < n) out[j] = vectors[i];
  }
  return out;
}

/**
 * Training–serving skew: recompute each sampled served vector offline with the batch engine, as of the same
 * request time from the event history, and compare feature by feature.
 */
export class ConsistencyJob {
  constructor(
    private readonly set: FeatureSet,
    private readonly history: EventHistory,
    private readonly options: ConsistencyOptions = DEFAULT_CONSISTENCY_OPTIONS,
  ) {}

  async run(sample: readonly ServedVector[], now = Date.now()): Promise<ConsistencyReport> {
    const at = new Date(now).toISOString();
    const pairs: { served: ServedVector; request: FeatureRequest }[] = [];
    for (const served of sample) {
      const request = await this.history.requestFor(served);
      if (request) pairs.push({ served, request });
    }
    const report: ConsistencyReport = { at, sampled: sample.length, unresolved: sample.length - pairs.length, features: [], breaches: [] };
    if (pairs.length === 0) return report;
    const until = Math.max(...pairs.map((p) => p.request.time));
    const events = await this.history.eventsUntil(until);
    const batch = computeBatch(this.set, events, pairs.map((p) => p.request));
    const names = this.set.featureNames;
    const { absTol, relTol } = this.options;
    for (let f = 0; f < names.length; f++) {
      const row: FeatureSkewRow = { feature: names[f], checked: 0, mismatches: 0, mismatchRate: 0, exampleRequestIds: [], examples: [] };
      for (let i = 0; i < pairs.length; i++) {
        const served = pairs[i].served;
        const sv = served.values[names[f]];
        const servedMissing = sv === undefined || (served.missing?.includes(names[f]) ?? false);
        const offMissing = batch.missing[i * batch.width + f] === 1;
        const off = batch.values[i * batch.width + f];
        row.checked++;
        // Missing on both sides is agreement; the served default vs an offline value is a mismatch.
        const equal = servedMissing || offMissing ? servedMissing === offMissing : Math.abs(sv - off) <= absTol + relTol * Math.max(Math.abs(sv), Math.abs(off));
        if (equal) continue;
        row.mismatches++;
        if (row.examples.length < this.options.examples) {
          row.exampleRequestIds.push(served.requestId);
          row.examples.push({ requestId: served.requestId, served: servedMissing ? null : sv, offline: offMissing ? null : off });
        }
      }
      row.mismatchRate = row.checked ? row.mismatches / row.checked : 0;
      report.features.push(row);
      if (row.mismatchRate > this.options.maxMismatchRate) {
        report.breaches.push({
          name: MONITORING_ALERTS.trainingServingSkew,
          status: 'firing',
          severity: 'critical',
          labels: { feature: row.feature },
          value: row.mismatchRate,
          threshold: this.options.maxMismatchRate,
          summary: `Feature ${row.feature}: ${(row.mismatchRate * 100).toFixed(1)}% of ${row.checked} served values differ from the batch engine`,
          details: { feature: row.feature, checked: row.checked, mismatches: row.mismatches, exampleRequestIds: row.exampleRequestIds, examples: row.examples },
          at,
        });
      }
    }
    return report;
  }
}

/** In-memory history (tests, replays): events and the request of each checkout id. */
export class InMemoryEventHistory implements EventHistory {
  private readonly requests = new Map<string, FeatureRequest>();
  constructor(
    private readonly events: readonly EngineEvent[],
    requestOf: (e: EngineEvent) => string | undefined,
  ) {
    for (const e of events) {
      const id = requestOf(e);
      if (id) this.requests.set(id, e);
    }
  }
  async eventsUntil(untilMs: number): Promise<readonly EngineEvent[]> {
    return this.events.filter((e) => e.time <= untilMs);
  }
  async requestFor(served: ServedVector): Promise<FeatureRequest | undefined> {
    return this.requests.get(served.checkoutId);
  }
}
