import type { DecisionMadeEvent, RiskEvent } from '@risk/contract-events';
import type { FeatureSet } from '@risk/feature-engine';
import type { Logger } from '@risk/util-logging';
import type { AlertSink } from './alerts/alert.tracker';
import { AlertTracker } from './alerts/alert.tracker';
import type { DriftReport, DriftThresholds } from './drift/drift.monitor';
import { DEFAULT_DRIFT_THRESHOLDS, evaluateDrift } from './drift/drift.monitor';
import { ServedWindow } from './drift/served-window';
import type { FeatureAgeRow, FreshnessMonitor, PartitionLagRow } from './freshness/freshness.monitor';
import type { MonitoringMetrics } from './metrics/monitoring.metrics';
import type { MonitoringAlert, MonitoringAlertName, ServedVector } from './monitoring.types';
import { MONITORING_ALERTS } from './monitoring.types';
import type { DelayedQuality, ImmediateQuality } from './quality/model-quality.monitor';
import { ModelQualityMonitor } from './quality/model-quality.monitor';
import type { ReferenceStore, TrainingReference } from './reference/training-reference';
import type { ConsistencyJob, ConsistencyReport } from './skew/consistency.job';
import { sampleServed } from './skew/consistency.job';

/** decision.made → served vector; features of the set absent from the logged record count as missing. */
export function servedFromDecision(e: DecisionMadeEvent, featureNames: readonly string[] = []): ServedVector {
  const p = e.payload;
  return {
    requestId: p.requestId,
    checkoutId: p.checkoutId,
    region: e.region,
    modelVersion: p.modelVersion,
    featureSetVersion: p.featureSet.version,
    time: Date.parse(e.occurredAt),
    values: p.features,
    missing: featureNames.filter((f) => p.features[f] === undefined),
    score: p.score,
    action: p.action,
    arm: p.arm,
  };
}

export interface MonitoringServiceDeps {
  featureSet: FeatureSet;
  references: ReferenceStore;
  alerts: AlertSink;
  metrics: MonitoringMetrics;
  logger: Logger;
  windowMs: number;
  thresholds?: DriftThresholds;
  consistency?: ConsistencyJob;
  freshness?: FreshnessMonitor;
  maturityDays: number;
  /** points kept per chart series */
  historyPoints?: number;
}

export interface HistoryPoint {
  at: string;
  region: string;
  modelVersion: string;
  n: number;
  maxFeaturePsi: number;
  maxFeature: string;
  scorePsi: number;
  actionMixDistance: number | null;
}

const DRIFT_ALERTS: MonitoringAlertName[] = [MONITORING_ALERTS.featureDrift, MONITORING_ALERTS.scoreDrift, MONITORING_ALERTS.actionMixDrift];

/** Monitoring use cases: ingest served vectors and outcomes, evaluate on a schedule, publish alert transitions. */
export class MonitoringService {
  readonly window: ServedWindow;
  readonly quality = new ModelQualityMonitor();
  private readonly tracker = new AlertTracker();
  private readonly refs = new Map<string, TrainingReference>();
  private readonly missingRefs = new Set<string>();
  lastDrift: DriftReport | null = null;
  lastConsistency: ConsistencyReport | null = null;
  lastLag: PartitionLagRow[] = [];
  lastAges: FeatureAgeRow[] = [];
  lastImmediate: ImmediateQuality[] = [];
  lastDelayed: DelayedQuality[] = [];
  readonly history: HistoryPoint[] = [];
  /** newest ingested event time: the clock of evaluations when replaying */
  clock = 0;

  constructor(private readonly d: MonitoringServiceDeps) {
    this.window = new ServedWindow(d.windowMs);
  }

  ingestServed(v: ServedVector): void {
    this.window.add(v);
    this.d.metrics.served(v);
    this.clock = Math.max(this.clock, v.time);
  }

  /** Any contract event: decisions feed drift and quality; outcomes and labels feed quality. */
  ingestEvent(e: RiskEvent): void {
    if (e.type === 'decision.made' && e.payload.featureSet.name === this.d.featureSet.name) {
      this.ingestServed(servedFromDecision(e, this.d.featureSet.featureNames));
    }
    this.quality.ingest(e);
    this.clock = Math.max(this.clock, Date.parse(e.occurredAt));
  }

  private async referencesFor(vectors: readonly ServedVector[]): Promise<Map<string, TrainingReference>> {
    const versions = new Set<string>();
    for (const v of vectors) if (v.modelVersion) versions.add(v.modelVersion);
    for (const mv of versions) {
      if (this.refs.has(mv) || this.missingRefs.has(mv)) continue;
      try {
        const ref = await this.d.references.load(mv);
        if (ref) this.refs.set(mv, ref);
        else this.missingRefs.add(mv);
      } catch (err) {
        this.d.logger.warn({ err: (err as Error).message, modelVersion: mv }, 'training reference unavailable; drift skipped for this version');
      }
    }
    return this.refs;
  }

  async evaluate(now = this.clock): Promise<DriftReport> {
    this.window.prune(now);
    const vectors = this.window.slice(now + 1);
    const refs = await this.referencesFor(vectors);
    const report = evaluateDrift(vectors, refs, { from: now - this.d.windowMs, to: now }, this.d.thresholds ?? DEFAULT_DRIFT_THRESHOLDS);
    this.lastDrift = report;
    this.d.metrics.drift(report);
    this.recordHistory(report);
    const at = new Date(now).toISOString();
    await this.publish(this.tracker.transitions(DRIFT_ALERTS, report.breaches, at));
    if (this.d.freshness) {
      const ages = this.d.freshness.evaluateAges(vectors, now);
      this.lastAges = ages.rows;
      await this.publish(this.tracker.transitions([MONITORING_ALERTS.featureStale], ages.breaches, at));
    }
    this.lastImmediate = this.quality.immediate(now - this.d.windowMs, now + 1);
    this.d.metrics.immediate(this.lastImmediate);
    return report;
  }

  /** Daily: AUC, AP and false-decline rate of the cohort whose labels matured. */
  evaluateMatured(asOf = this.clock): DelayedQuality[] {
    this.lastDelayed = this.quality.delayed(asOf, this.d.maturityDays);
    this.d.metrics.delayed(this.lastDelayed);
    this.quality.prune(asOf);
    return this.lastDelayed;
  }

  async runConsistency(sampleSize: number, now = this.clock, seed = 1): Promise<ConsistencyReport | null> {
    if (!this.d.consistency) return null;
    const sample = sampleServed(this.window.slice(now + 1), sampleSize, seed);
    const report = await this.d.consistency.run(sample, now);
    this.lastConsistency = report;
    this.d.metrics.consistency(report);
    await this.publish(this.tracker.transitions([MONITORING_ALERTS.trainingServingSkew], report.breaches, report.at));
    return report;
  }

  async pollFreshness(now = Date.now()): Promise<PartitionLagRow[]> {
    if (!this.d.freshness) return [];
    const { rows, breaches } = await this.d.freshness.pollLag(now);
    this.lastLag = rows;
    this.d.metrics.consumerLag(rows);
    await this.publish(this.tracker.transitions([MONITORING_ALERTS.consumerStalled], breaches, new Date(now).toISOString()));
    return rows;
  }

  activeAlerts(): MonitoringAlert[] {
    return this.tracker.active();
  }

  private recordHistory(report: DriftReport): void {
    for (const s of report.scores) {
      let maxPsi = 0;
      let maxFeature = '';
      for (const f of report.features) {
        if (f.region === s.region && f.modelVersion === s.modelVersion && f.psi > maxPsi) {
          maxPsi = f.psi;
          maxFeature = f.feature;
        }
      }
      this.history.push({ at: report.at, region: s.region, modelVersion: s.modelVersion, n: s.n, maxFeaturePsi: maxPsi, maxFeature, scorePsi: s.psi, actionMixDistance: s.actionMixDistance });
    }
    const cap = (this.d.historyPoints ?? 500) * 9;
    if (this.history.length > cap) this.history.splice(0, this.history.length - cap);
  }

  private async publish(alerts: MonitoringAlert[]): Promise<void> {
    for (const a of alerts) {
      this.d.metrics.alert(a);
      try {
        await this.d.alerts.publish(a);
        this.d.logger.warn({ alert: a.name, status: a.status, labels: a.labels, value: a.value }, a.summary);
      } catch (err) {
        // Metrics and the API still show the breach; the next transition retries publishing.
        this.d.logger.error({ err: (err as Error).message, alert: a.name }, 'alert publish failed');
      }
    }
  }
}
