import type { PartitionLag } from '@risk/event-log';
import type { MonitoringAlert, ServedVector } from '../monitoring.types';
import { MONITORING_ALERTS } from '../monitoring.types';

/** Port: the group's lag per partition (EventLog.lag). */
export interface LagSource {
  lag(group: string, topics: readonly string[]): Promise<PartitionLag[]>;
}

export interface FreshnessOptions {
  /** A partition is stalled when its lag is at least this... */
  minLag: number;
  /** ...and has not fallen for this many consecutive polls. */
  stalledPolls: number;
  /** FeatureStale in deploy/prometheus/alerts.yaml: p95 age at read time above 300 s. */
  maxP95AgeSeconds: number;
  minAgeSamples: number;
}

export const DEFAULT_FRESHNESS_OPTIONS: FreshnessOptions = { minLag: 1000, stalledPolls: 5, maxP95AgeSeconds: 300, minAgeSamples: 50 };

export interface PartitionLagRow extends PartitionLag {
  region: string;
  /** consecutive polls with lag >= minLag that did not fall */
  stalledFor: number;
}

export interface FeatureAgeRow {
  featureGroup: string;
  region: string;
  n: number;
  p50: number;
  p95: number;
  max: number;
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Consumer lag per partition (stalled consumers) and the age of online features at read time. */
export class FreshnessMonitor {
  private readonly history = new Map<string, { lag: number; stalledFor: number }>();
  lastLag: PartitionLagRow[] = [];

  constructor(
    private readonly region: string,
    private readonly source: LagSource,
    private readonly watches: readonly { group: string; topics: readonly string[] }[],
    private readonly options: FreshnessOptions = DEFAULT_FRESHNESS_OPTIONS,
  ) {}

  async pollLag(now = Date.now()): Promise<{ rows: PartitionLagRow[]; breaches: MonitoringAlert[] }> {
    const at = new Date(now).toISOString();
    const rows: PartitionLagRow[] = [];
    const breaches: MonitoringAlert[] = [];
    for (const w of this.watches) {
      for (const p of await this.source.lag(w.group, w.topics)) {
        const key = `${p.group}|${p.topic}|${p.partition}`;
        const prev = this.history.get(key);
        const notFalling = prev !== undefined && p.lag >= prev.lag;
        const stalledFor = p.lag >= this.options.minLag && notFalling ? prev.stalledFor + 1 : 0;
        this.history.set(key, { lag: p.lag, stalledFor });
        const row: PartitionLagRow = { ...p, region: this.region, stalledFor };
        rows.push(row);
        if (stalledFor >= this.options.stalledPolls) {
          breaches.push({
            name: MONITORING_ALERTS.consumerStalled,
            status: 'firing',
            severity: 'critical',
            labels: { topic: p.topic, partition: String(p.partition), group: p.group, region: this.region },
            region: this.region,
            value: p.lag,
            threshold: this.options.minLag,
            summary: `Consumer group ${p.group} is not draining partition ${p.partition} of ${p.topic} in ${this.region} (lag ${p.lag}, ${stalledFor} polls)`,
            details: { ...row },
            at,
          });
        }
      }
    }
    this.lastLag = rows;
    return { rows, breaches };
  }

  /** Read-time age per feature group and region from served vectors that carry ages. */
  evaluateAges(vectors: readonly ServedVector[], now = Date.now()): { rows: FeatureAgeRow[]; breaches: MonitoringAlert[] } {
    const at = new Date(now).toISOString();
    const byKey = new Map<string, { featureGroup: string; region: string; ages: number[] }>();
    for (const v of vectors) {
      if (!v.featureAges) continue;
      for (const [featureGroup, age] of Object.entries(v.featureAges)) {
        const k = `${featureGroup}|${v.region}`;
        let e = byKey.get(k);
        if (!e) byKey.set(k, (e = { featureGroup, region: v.region, ages: [] }));
        e.ages.push(age);
      }
    }
    const rows: FeatureAgeRow[] = [];
    const breaches: MonitoringAlert[] = [];
    for (const e of byKey.values()) {
      const s = e.ages.sort((a, b) => a - b);
      const row: FeatureAgeRow = { featureGroup: e.featureGroup, region: e.region, n: s.length, p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1] };
      rows.push(row);
      if (row.n >= this.options.minAgeSamples && row.p95 > this.options.maxP95AgeSeconds) {
        breaches.push({
          name: MONITORING_ALERTS.featureStale,
          status: 'firing',
          severity: 'warning',
          labels: { feature_group: e.featureGroup, region: e.region },
          region: e.region,
          value: row.p95,
          threshold: this.options.maxP95AgeSeconds,
          summary: `Online features of ${e.featureGroup} in ${e.region} are stale (p95 age ${Math.round(row.p95)} s)`,
          details: { ...row },
          at,
        });
      }
    }
    return { rows, breaches };
  }
}
