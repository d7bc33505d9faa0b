import type { MonitoringAlert, ServedVector } from '../monitoring.types';
import { MONITORING_ALERTS } from '../monitoring.types';
import type { TrainingReference } from '../reference/training-reference';
import { emptyDistribution, ksDistance, mixDistance, observe, psi } from '../stats/distribution.stats';

export interface DriftThresholds {
  /** FeatureDriftHigh in deploy/prometheus/alerts.yaml uses 0.25. */
  featurePsi: number;
  /** ScoreDriftHigh uses 0.2. */
  scorePsi: number;
  /** Total variation distance of the action mix. */
  actionMix: number;
  /** Below this many vectors in a (region, model version) group, nothing is judged (PSI of tiny samples is noise). */
  minSamples: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { featurePsi: 0.25, scorePsi: 0.2, actionMix: 0.15, minSamples: 200 };

export interface FeatureDriftRow {
  feature: string;
  region: string;
  modelVersion: string;
  n: number;
  psi: number;
  ks: number;
  missingRate: number;
  referenceMissingRate: number;
  defaultRate: number;
  referenceDefaultRate: number;
}

export interface ScoreDriftRow {
  region: string;
  modelVersion: string;
  n: number;
  psi: number;
  ks: number;
  actionMix: Record<string, number>;
  expectedActionMix: Record<string, number> | null;
  actionMixDistance: number | null;
  /** score histogram on the reference bins (for charts) */
  scoreBins: { edges: number[]; live: number[]; reference: number[] } | null;
}

export interface DriftReport {
  at: string;
  windowFrom: string;
  windowTo: string;
  features: FeatureDriftRow[];
  scores: ScoreDriftRow[];
  /** groups skipped: no reference or too few vectors */
  skipped: { region: string; modelVersion: string; n: number; reason: 'no_reference' | 'too_few_samples' }[];
  breaches: MonitoringAlert[];
}

const groupKey = (v: ServedVector): string => `${v.region}\u0000${v.modelVersion ?? ''}`;

/** Feature, score and action drift of live served vectors against each model version's training reference, per region. */
export function evaluateDrift(
  vectors: readonly ServedVector[],
  references: ReadonlyMap<string, TrainingReference>,
  window: { from: number; to: number },
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): DriftReport {
  const at = new Date(window.to).toISOString();
  const groups = new Map<string, ServedVector[]>();
  for (const v of vectors) {
    if (v.modelVersion === null) continue;
    const k = groupKey(v);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(v);
  }
  const report: DriftReport = { at, windowFrom: new Date(window.from).toISOString(), windowTo: at, features: [], scores: [], skipped: [], breaches: [] };
  for (const g of groups.values()) {
    const { region, modelVersion } = g[0] as { region: string; modelVersion: string };
    const versionRef = references.get(modelVersion);
    if (!versionRef) {
      report.skipped.push({ region, modelVersion, n: g.length, reason: 'no_reference' });
      continue;
    }
    const ref = { ...versionRef, ...(versionRef.byRegion?.[region] ?? {}) };
    if (g.length < thresholds.minSamples) {
      report.skipped.push({ region, modelVersion, n: g.length, reason: 'too_few_samples' });
      continue;
    }
    for (const [feature, rd] of Object.entries(ref.features)) {
      const live = emptyDistribution(rd.edges);
      let defaults = 0;
      for (const v of g) {
        const value = v.values[feature];
        const isMissing = value === undefined || (v.missing?.includes(feature) ?? false);
        observe(live, isMissing ? null : value);
        if (isMissing || value === rd.defaultValue) defaults++;
      }
      const row: FeatureDriftRow = {
        feature,
        region,
        modelVersion,
        n: g.length,
        psi: psi(rd, live),
        ks: ksDistance(rd, live),
        missingRate: live.missing / live.total,
        referenceMissingRate: rd.total ? rd.missing / rd.total : 0,
        defaultRate: defaults / g.length,
        referenceDefaultRate: rd.defaultRate,
      };
      report.features.push(row);
      if (row.psi > thresholds.featurePsi) {
        report.breaches.push({
          name: MONITORING_ALERTS.featureDrift,
          status: 'firing',
          severity: 'warning',
          labels: { feature, region },
          region,
          modelVersion,
          value: row.psi,
          threshold: thresholds.featurePsi,
          summary: `Feature ${feature} drifted in ${region} (PSI ${row.psi.toFixed(2)}, missing ${(row.missingRate * 100).toFixed(1)}% vs ${(row.referenceMissingRate * 100).toFixed(1)}%)`,
          details: { ...row, windowFrom: report.windowFrom, windowTo: at },
          at,
        });
      }
    }
    report.scores.push(scoreDrift(g, ref, region, modelVersion, thresholds, report, at));
  }
  return report;
}

function scoreDrift(g: ServedVector[], ref: TrainingReference, region: string, modelVersion: string, t: DriftThresholds, report: DriftReport, at: string): ScoreDriftRow {
  const mix: Record<string, number> = {};
  for (const v of g) mix[v.action] = (mix[v.action] ?? 0) + 1;
  for (const k of Object.keys(mix)) mix[k] /= g.length;
  const row: ScoreDriftRow = { region, modelVersion, n: g.length, psi: 0, ks: 0, actionMix: mix, expectedActionMix: ref.expectedActionMix ?? null, actionMixDistance: null, scoreBins: null };
  const refScore = ref.score;
  if (refScore) {
    const live = emptyDistribution(refScore.edges);
    for (const v of g) observe(live, v.score);
    row.psi = psi(refScore, live);
    row.ks = ksDistance(refScore, live);
    row.scoreBins = { edges: refScore.edges, live: live.counts.map((c) => c / live.total), reference: refScore.counts.map((c) => c / refScore.total) };
    if (row.psi > t.scorePsi) {
      report.breaches.push({
        name: MONITORING_ALERTS.scoreDrift,
        status: 'firing',
        severity: 'warning',
        labels: { region, model_version: modelVersion },
        region,
        modelVersion,
        value: row.psi,
        threshold: t.scorePsi,
        summary: `Score distribution of ${modelVersion} drifted in ${region} (PSI ${row.psi.toFixed(2)})`,
        details: { n: g.length, psi: row.psi, ks: row.ks },
        at,
      });
    }
  }
  if (ref.expectedActionMix) {
    row.actionMixDistance = mixDistance(ref.expectedActionMix, mix);
    if (row.actionMixDistance > t.actionMix) {
      report.breaches.push({
        name: MONITORING_ALERTS.actionMixDrift,
        status: 'firing',
        severity: 'warning',
        labels: { region, model_version: modelVersion },
        region,
        modelVersion,
        value: row.actionMixDistance,
        threshold: t.actionMix,
        summary: `Action mix of ${modelVersion} in ${region} is ${(row.actionMixDistance * 100).toFixed(1)}% away from the expected mix`,
        details: { n: g.length, actionMix: mix, expected: ref.expectedActionMix },
        at,
      });
    }
  }
  return row;
}
