import type { Decision } from '@risk/contract-events';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const BUCKETS_S = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.06, 0.1, 0.25];
const STAGES = ['triage', 'features', 'model', 'policy', 'total'] as const;

/** Prometheus metrics of the scorer; one registry per app instance so tests can run several. */
export class ScorerMetrics {
  readonly registry = new Registry();
  private readonly stage = new Histogram({
    name: 'scorer_stage_duration_seconds',
    help: 'Latency of each decision stage',
    labelNames: ['stage'],
    buckets: BUCKETS_S,
    registers: [this.registry],
  });
  private readonly byStage = STAGES.map((s) => this.stage.labels(s));
  private readonly actions = new Counter({ name: 'scorer_decisions_total', help: 'Decisions by action and arm', labelNames: ['action', 'arm'], registers: [this.registry] });
  private readonly degraded = new Counter({ name: 'scorer_degraded_total', help: 'Degraded decisions by stage and reason', labelNames: ['stage', 'reason'], registers: [this.registry] });
  readonly invalid = new Counter({ name: 'scorer_invalid_requests_total', help: 'Requests rejected as invalid', labelNames: ['code'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(d: Decision, arm: string): void {
    const t = d.timings;
    const v = [t.triageMs, t.featuresMs, t.modelMs, t.policyMs, t.totalMs];
    for (let i = 0; i < v.length; i++) this.byStage[i]?.observe((v[i] as number) / 1000);
    this.actions.inc({ action: d.action, arm });
    for (const g of d.degraded) this.degraded.inc({ stage: g.stage, reason: g.reason });
  }
}
