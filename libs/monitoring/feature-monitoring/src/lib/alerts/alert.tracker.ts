import type { EventLog } from '@risk/event-log';
import { TOPICS } from '@risk/contract-events';
import type { MonitoringAlert } from '../monitoring.types';

/** Port: where alert transitions go (the event log in production). */
export interface AlertSink {
  publish(alert: MonitoringAlert): Promise<void>;
}

/** Publishes on TOPICS.alerts keyed by alert name, as the rollout controller does for its own alerts. */
export class EventLogAlertSink implements AlertSink {
  constructor(private readonly log: EventLog) {}
  async publish(alert: MonitoringAlert): Promise<void> {
    await this.log.publish(TOPICS.alerts, alert.name, alert, { 'x-event-type': alert.name, 'x-alert-status': alert.status });
  }
}

export class RecordingAlertSink implements AlertSink {
  readonly alerts: MonitoringAlert[] = [];
  async publish(alert: MonitoringAlert): Promise<void> {
    this.alerts.push(alert);
  }
}

export const seriesKey = (a: Pick<MonitoringAlert, 'name' | 'labels'>): string =>
  `${a.name}|${Object.keys(a.labels)
    .sort()
    .map((k) => `${k}=${a.labels[k]}`)
    .join(',')}`;

/**
 * Turns each evaluation's breaches into transitions: an alert is published when a series starts breaching and
 * once more when it stops, not on every evaluation (the controller reacts to edges).
 */
export class AlertTracker {
  private readonly firing = new Map<string, MonitoringAlert>();

  /** `breaches`: every series breaching now, for the alert names in `names` (series of other names are untouched). */
  transitions(names: readonly string[], breaches: readonly MonitoringAlert[], at: string): MonitoringAlert[] {
    const out: MonitoringAlert[] = [];
    const now = new Map(breaches.map((b) => [seriesKey(b), b]));
    for (const [key, b] of now) {
      if (!this.firing.has(key)) out.push(b);
      this.firing.set(key, b);
    }
    for (const [key, prev] of [...this.firing]) {
      if (!names.includes(prev.name) || now.has(key)) continue;
      this.firing.delete(key);
      out.push({ ...prev, status: 'resolved', at, summary: `resolved: ${prev.summary}` });
    }
    return out;
  }

  active(): MonitoringAlert[] {
    return [...this.firing.values()];
  }
}
