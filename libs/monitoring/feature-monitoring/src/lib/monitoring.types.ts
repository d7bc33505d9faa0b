/** One served vector: what the scorer used for a decision (from decision.made or the served-feature log). */
export interface ServedVector {
  requestId: string;
  checkoutId: string;
  region: string;
  /** null for rules-only decisions */
  modelVersion: string | null;
  featureSetVersion: string;
  /** decision time, epoch ms */
  time: number;
  values: Readonly<Record<string, number>>;
  /** Features served as their default because the data was missing (absent from `values` counts as missing too). */
  missing?: readonly string[];
  /** Age of the online record per feature group at read time, seconds (when the log carries it). */
  featureAges?: Readonly<Record<string, number>>;
  score: number | null;
  action: string;
  arm?: string;
}

export type AlertSeverity = 'warning' | 'critical';

export const MONITORING_ALERTS = {
  featureDrift: 'monitoring.feature_drift',
  scoreDrift: 'monitoring.score_drift',
  actionMixDrift: 'monitoring.action_mix_drift',
  trainingServingSkew: 'monitoring.training_serving_skew',
  consumerStalled: 'monitoring.consumer_stalled',
  featureStale: 'monitoring.feature_stale',
} as const;
export type MonitoringAlertName = (typeof MONITORING_ALERTS)[keyof typeof MONITORING_ALERTS];

/** Published on TOPICS.alerts (key = name) so the controller can treat a breach as a guardrail. */
export interface MonitoringAlert {
  name: MonitoringAlertName;
  status: 'firing' | 'resolved';
  severity: AlertSeverity;
  /** Bounded labels identifying the series (feature, region, model_version, topic, partition, group). */
  labels: Record<string, string>;
  region?: string;
  modelVersion?: string;
  value: number;
  threshold: number;
  summary: string;
  details: Record<string, unknown>;
  at: string;
}
