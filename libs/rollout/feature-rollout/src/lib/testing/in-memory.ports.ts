import type { PromotionStatus, RegistryStage, RolloutAlert, RolloutEventRecord, RolloutRegistryPort, RolloutRepository } from '../rollout/rollout.ports';
import { TERMINAL_STATUSES, type Rollout } from '../rollout/rollout.types';

/** Repository port in memory (unit tests only; the controller uses PostgreSQL). */
export class InMemoryRolloutRepository implements RolloutRepository {
  readonly rows = new Map<string, Rollout>();
  readonly log: (RolloutEventRecord & { seq: number; createdAt: string })[] = [];

  async insert(r: Rollout, event: RolloutEventRecord): Promise<void> {
    this.rows.set(r.id, structuredClone(r));
    this.push(event);
  }
  async get(id: string): Promise<Rollout | null> {
    const r = this.rows.get(id);
    return r ? structuredClone(r) : null;
  }
  async list(filter: { active?: boolean } = {}): Promise<Rollout[]> {
    return [...this.rows.values()].filter((r) => filter.active === undefined || filter.active !== TERMINAL_STATUSES.includes(r.status)).map((r) => structuredClone(r));
  }
  async update(r: Rollout, event?: RolloutEventRecord): Promise<Rollout | null> {
    const cur = this.rows.get(r.id);
    if (!cur || cur.rowVersion !== r.rowVersion) return null;
    const next = structuredClone({ ...r, rowVersion: r.rowVersion + 1 });
    this.rows.set(r.id, next);
    if (event) this.push(event);
    return structuredClone(next);
  }
  async events(rolloutId: string) {
    return this.log.filter((e) => e.rolloutId === rolloutId);
  }
  private push(e: RolloutEventRecord): void {
    this.log.push({ ...e, seq: this.log.length + 1, createdAt: new Date().toISOString() });
  }
}

/** Registry port in memory: stages per version and region, requests a test approves, the timeline. */
export class FakeRegistry implements RolloutRegistryPort {
  readonly stages = new Map<string, RegistryStage>();
  readonly requests = new Map<string, { versionId: string; region: string; target: 'canary' | 'production'; status: PromotionStatus }>();
  readonly steps: { versionId: string; region: string; step: string; trafficPercent?: number; status: string }[] = [];
  readonly evidence: { versionId: string; kind: string; data: Record<string, unknown> }[] = [];
  private n = 0;

  set(versionId: string, region: string, stage: RegistryStage): void {
    this.stages.set(`${versionId}|${region}`, stage);
  }
  async stageOf(versionId: string, region: string) {
    return this.stages.get(`${versionId}|${region}`) ?? null;
  }
  async transition(versionId: string, region: string, toStage: 'shadow' | 'candidate') {
    this.set(versionId, region, toStage);
  }
  async requestPromotion(versionId: string, region: string, target: 'canary' | 'production') {
    const id = `req-${++this.n}`;
    this.requests.set(id, { versionId, region, target, status: 'pending' });
    return id;
  }
  approveAll(): void {
    for (const r of this.requests.values()) if (r.status === 'pending') r.status = 'approved';
  }
  async promotionStatus(_model: string, id: string) {
    return this.requests.get(id)?.status ?? null;
  }
  async executePromotion(id: string) {
    const r = this.requests.get(id);
    if (!r || r.status !== 'approved') throw new Error(`request ${id} not approved`);
    r.status = 'executed';
    this.set(r.versionId, r.region, r.target);
  }
  async rollbackProduction(): Promise<void> {
    /* not reached in unit tests */
  }
  async appendStep(versionId: string, s: { region: string; step: string; trafficPercent?: number; status: string }) {
    this.steps.push({ versionId, ...s });
  }
  async attachEvidence(versionId: string, kind: string, data: Record<string, unknown>) {
    this.evidence.push({ versionId, kind, data });
  }
}

export class RecordingAlerts {
  readonly alerts: RolloutAlert[] = [];
  async publish(a: RolloutAlert): Promise<void> {
    this.alerts.push(a);
  }
}
