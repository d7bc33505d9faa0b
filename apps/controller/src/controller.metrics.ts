import { Counter, Gauge, Registry } from 'prom-client';
import type { RolloutMetricsPort } from '@risk/rollout';

/** Prometheus metrics of the controller (scraped at /metrics). */
export class ControllerMetrics implements RolloutMetricsPort {
  readonly registry = new Registry();
  readonly breaches = new Counter({ name: 'rollout_guardrail_breach_total', help: 'Guardrail breaches that rolled a canary back', labelNames: ['rollout', 'guardrail'], registers: [this.registry] });
  readonly traffic = new Gauge({ name: 'rollout_traffic_percent', help: 'Canary traffic percentage the controller set', labelNames: ['rollout'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'rollout_controller_leader', help: '1 while this replica holds the leader lock', registers: [this.registry] });
  readonly ticks = new Counter({ name: 'rollout_controller_ticks_total', help: 'Leader ticks run', registers: [this.registry] });
  readonly decisions = new Counter({ name: 'rollout_controller_decisions_total', help: 'decision.made events consumed', registers: [this.registry] });

  guardrailBreach(rolloutId: string, guardrail: string): void {
    this.breaches.inc({ rollout: rolloutId, guardrail });
  }

  stepChanged(rolloutId: string, percent: number): void {
    this.traffic.set({ rollout: rolloutId }, percent);
  }
}
