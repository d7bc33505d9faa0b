import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DriftReport } from '../drift/drift.monitor';
import type { ConsistencyReport } from '../skew/consistency.job';
import type { PartitionLagRow } from '../freshness/freshness.monitor';
import type { DelayedQuality, ImmediateQuality } from '../quality/model-quality.monitor';
import type { MonitoringAlert, ServedVector } from '../monitoring.types';

/** Names and labels of deploy/metrics.md (feature_drift_psi, score_drift_psi, feature_read_age_seconds, eventlog_consumer_lag) plus monitoring extras. */
export class MonitoringMetrics {
  readonly registry = new Registry();
  private readonly featurePsi = new Gauge({ name: 'feature_drift_psi', help: 'PSI of live served values against the training reference over the sliding window', labelNames: ['feature', 'region'], registers: [this.registry] });
  private readonly featureKs = new Gauge({ name: 'feature_drift_ks', help: 'Binned KS distance of live served values against the training reference', labelNames: ['feature', 'region'], registers: [this.registry] });
  private readonly missingRate = new Gauge({ name: 'feature_missing_rate', help: 'Share of served vectors with the feature missing (default served)', labelNames: ['feature', 'region'], registers: [this.registry] });
  private readonly defaultRate = new Gauge({ name: 'feature_default_rate', help: 'Share of served values equal to the feature default', labelNames: ['feature', 'region'], registers: [this.registry] });
  private readonly scorePsi = new Gauge({ name: 'score_drift_psi', help: 'PSI of the live score distribution against the expected one', labelNames: ['region', 'model_version'], registers: [this.registry] });
  private readonly actionMix = new Gauge({ name: 'action_mix_distance', help: 'Total variation distance of the live action mix from the expected mix', labelNames: ['region', 'model_version'], registers: [this.registry] });
  private readonly skew = new Gauge({ name: 'feature_skew_mismatch_rate', help: 'Share of sampled served values that differ from the batch engine recomputation', labelNames: ['feature'], registers: [this.registry] });
  private readonly lag = new Gauge({ name: 'eventlog_consumer_lag', help: 'Records not yet delivered to the group, per partition', labelNames: ['topic', 'partition', 'group'], registers: [this.registry] });
  private readonly age = new Histogram({ name: 'feature_read_age_seconds', help: 'Age of an online feature record at read time', labelNames: ['feature_group'], buckets: [1, 5, 15, 60, 300, 900, 3600, 86400], registers: [this.registry] });
  private readonly quality = new Gauge({ name: 'model_quality', help: 'Model quality figures (auth_failure_rate, stepup_pass_rate immediately; auc, ap, false_decline_rate on matured labels)', labelNames: ['metric', 'region', 'model_version', 'maturity_days'], registers: [this.registry] });
  private readonly alerts = new Counter({ name: 'monitoring_alerts_total', help: 'Alert transitions published on the event log', labelNames: ['alert', 'status'], registers: [this.registry] });

  drift(report: DriftReport): void {
    // One series per feature and region: the group with the most vectors in the region (the production model).
    const best = new Map<string, string>();
    const n = new Map<string, number>();
    for (const s of report.scores) {
      if ((n.get(s.region) ?? -1) < s.n) {
        n.set(s.region, s.n);
        best.set(s.region, s.modelVersion);
      }
      this.scorePsi.set({ region: s.region, model_version: s.modelVersion }, s.psi);
      if (s.actionMixDistance !== null) this.actionMix.set({ region: s.region, model_version: s.modelVersion }, s.actionMixDistance);
    }
    for (const r of report.features) {
      if (best.get(r.region) !== r.modelVersion) continue;
      const l = { feature: r.feature, region: r.region };
      this.featurePsi.set(l, r.psi);
      this.featureKs.set(l, r.ks);
      this.missingRate.set(l, r.missingRate);
      this.defaultRate.set(l, r.defaultRate);
    }
  }

  consistency(report: ConsistencyReport): void {
    for (const f of report.features) this.skew.set({ feature: f.feature }, f.mismatchRate);
  }

  consumerLag(rows: readonly PartitionLagRow[]): void {
    for (const r of rows) this.lag.set({ topic: r.topic, partition: String(r.partition), group: r.group }, r.lag);
  }

  served(v: ServedVector): void {
    if (!v.featureAges) return;
    for (const [group, age] of Object.entries(v.featureAges)) this.age.observe({ feature_group: group }, age);
  }

  immediate(rows: readonly ImmediateQuality[]): void {
    for (const r of rows) {
      if (r.authFailureRate !== null) this.quality.set({ metric: 'auth_failure_rate', region: r.region, model_version: 'all', maturity_days: '0' }, r.authFailureRate);
      if (r.stepUpPassRate !== null) this.quality.set({ metric: 'stepup_pass_rate', region: r.region, model_version: 'all', maturity_days: '0' }, r.stepUpPassRate);
    }
  }

  delayed(rows: readonly DelayedQuality[]): void {
    for (const r of rows) {
      const l = { region: r.region, model_version: r.modelVersion, maturity_days: String(r.maturity.maturityDays) };
      if (r.auc !== null) this.quality.set({ ...l, metric: 'auc' }, r.auc);
      if (r.ap !== null) this.quality.set({ ...l, metric: 'ap' }, r.ap);
      if (r.falseDeclineRate !== null) this.quality.set({ ...l, metric: 'false_decline_rate' }, r.falseDeclineRate);
    }
  }

  alert(a: MonitoringAlert): void {
    this.alerts.inc({ alert: a.name, status: a.status });
  }
}
