import { randomUUID } from 'node:crypto';
import type { DecisionMadeEvent } from '@risk/contract-events';
import { ConflictError, NotFoundError, ValidationError } from '@risk/util-errors';
import type { Logger } from '@risk/util-logging';
import { analyseCanary, type CanaryAnalysis } from '../analysis/canary-analysis';
import { emptyCanaryWindow, emptyShadowWindow, recordAuthorisation, recordDecision, recordShadow, type Arm, type CanaryWindow, type ShadowWindow } from '../analysis/decision-window';
import { compareShadow } from '../analysis/shadow-comparison';
import type { RolloutAlertPort, RolloutMetricsPort, RolloutRegistryPort, RolloutRepository } from './rollout.ports';
import { currentPercent, startRolloutSchema, TERMINAL_STATUSES, type Rollout } from './rollout.types';

export type OperatorCommand = 'pause' | 'resume' | 'abort' | 'skip-step';

export interface RolloutServiceDeps {
  repo: RolloutRepository;
  registry: RolloutRegistryPort;
  alerts: RolloutAlertPort;
  metrics: RolloutMetricsPort;
  logger: Logger;
  now?: () => Date;
  /** Checkouts remembered for joining issuer outcomes to the arm that allowed them. */
  maxTrackedCheckouts?: number;
}

interface TrackedCheckout {
  rolloutId: string;
  windowKey: string;
  arm: Arm;
  region: string;
  paymentMethodId: string;
}

const windowKey = (r: Rollout): string => `${r.status === 'paused' ? r.pausedFrom : r.status}:${r.stepIndex}:${r.stepStartedAt}`;

/**
 * The rollout use cases: start, operator commands, decision ingestion and the tick that advances or rolls back.
 * Only the leader ingests and ticks; commands may arrive at any replica (they are optimistic writes).
 */
export class RolloutService {
  /** In-memory windows being filled between ticks, keyed by rollout and step; flushed to the row every tick. */
  private readonly canaryWindows = new Map<string, { key: string; w: CanaryWindow }>();
  private readonly shadowWindows = new Map<string, { key: string; w: ShadowWindow }>();
  private active: Rollout[] = [];
  private readonly tracked = new Map<string, TrackedCheckout>();

  constructor(private readonly d: RolloutServiceDeps) {}

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  // ───────────── commands ─────────────

  async start(actor: string, body: unknown): Promise<Rollout> {
    const parsed = startRolloutSchema.safeParse(body);
    if (!parsed.success) throw new ValidationError('Invalid rollout', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })), 'INVALID_ROLLOUT');
    const c = parsed.data;
    const clash = (await this.d.repo.list({ active: true })).find((r) => r.subject.model === c.subject.model && r.regions.some((g) => c.regions.includes(g)));
    if (clash) throw new ConflictError('ROLLOUT_ACTIVE', `Rollout ${clash.id} of ${clash.subject.model} is still ${clash.status} in ${clash.regions.join(', ')}`);
    for (const region of c.regions) {
      const stage = await this.d.registry.stageOf(c.subject.versionId, region);
      if (stage !== 'candidate' && stage !== 'shadow') {
        throw new ConflictError('NOT_A_CANDIDATE', `Version ${c.subject.versionId} is ${stage ?? 'unknown'} in ${region}; only candidate or shadow versions can be rolled out`);
      }
    }
    const now = this.now().toISOString();
    const r: Rollout = {
      id: randomUUID(),
      subject: c.subject,
      regions: c.regions,
      shadowMs: c.shadowMs,
      steps: c.steps,
      promoteToProduction: c.promoteToProduction,
      guardrails: c.guardrails,
      shadowGate: c.shadowGate,
      status: 'shadow',
      awaiting: null,
      stepIndex: -1,
      stepStartedAt: now,
      pausedFrom: null,
      requests: { canary: {}, production: {} },
      canaryWindow: null,
      baseline: null,
      shadowWindow: null,
      lastAnalysis: null,
      shadowReport: null,
      outcome: null,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      rowVersion: 0,
    };
    if (c.shadowMs > 0) {
      for (const region of c.regions) {
        if ((await this.d.registry.stageOf(c.subject.versionId, region)) === 'candidate') {
          await this.d.registry.transition(c.subject.versionId, region, 'shadow', `rollout ${r.id}: shadow phase`, { rolloutId: r.id });
        }
        await this.d.registry.appendStep(c.subject.versionId, { region, step: 'shadow', trafficPercent: 0, status: 'started', details: { rolloutId: r.id, actor, reason: c.reason } });
      }
      r.shadowWindow = emptyShadowWindow(this.now());
    } else {
      await this.requestApproval(r, 'canary', c.reason);
    }
    await this.d.repo.insert(r, { rolloutId: r.id, type: 'started', actor, details: { reason: c.reason, steps: c.steps, regions: c.regions, shadowMs: c.shadowMs } });
    if (r.status === 'awaiting_approval') await this.timeline(r, 'awaiting_canary_approval', { requests: r.requests.canary, actor, reason: c.reason });
    this.d.logger.info({ rolloutId: r.id, model: r.subject.model, versionId: r.subject.versionId, regions: r.regions, actor }, 'rollout started');
    return r;
  }

  async get(id: string): Promise<Rollout> {
    const r = await this.d.repo.get(id);
    if (!r) throw new NotFoundError('ROLLOUT_NOT_FOUND', `No rollout ${id}`);
    return r;
  }

  events(id: string) {
    return this.d.repo.events(id);
  }

  list(active?: boolean): Promise<Rollout[]> {
    return this.d.repo.list(active === undefined ? {} : { active });
  }

  async command(actor: string, id: string, cmd: OperatorCommand, reason: string): Promise<Rollout> {
    if (!reason.trim()) throw new ValidationError('A reason is required', [{ path: 'reason', message: 'required' }], 'REASON_REQUIRED');
    const r = await this.get(id);
    if (TERMINAL_STATUSES.includes(r.status)) throw new ConflictError('ROLLOUT_FINISHED', `Rollout is ${r.status}`);
    const next: Rollout = { ...r, updatedAt: this.now().toISOString() };
    switch (cmd) {
      case 'pause':
        if (r.status === 'paused') throw new ConflictError('ALREADY_PAUSED', 'Rollout is already paused');
        next.pausedFrom = r.status;
        next.status = 'paused';
        break;
      case 'resume':
        if (r.status !== 'paused' || !r.pausedFrom) throw new ConflictError('NOT_PAUSED', 'Only a paused rollout can be resumed');
        next.status = r.pausedFrom;
        next.pausedFrom = null;
        // The bake restarts: evidence gathered before the pause may predate whatever made the operator pause.
        next.stepStartedAt = this.now().toISOString();
        break;
      case 'skip-step':
        if (r.status !== 'canary' && r.status !== 'shadow') throw new ConflictError('NOTHING_TO_SKIP', `Cannot skip while ${r.status}`);
        break;
      case 'abort':
        await this.retreat(r, `aborted by ${actor}: ${reason}`, { actor, reason });
        next.status = 'aborted';
        next.pausedFrom = null;
        next.outcome = `aborted by ${actor}: ${reason}`;
        break;
    }
    let saved = await this.save(next, { rolloutId: id, type: cmd, actor, details: { reason, from: r.status, stepIndex: r.stepIndex } });
    if (cmd === 'skip-step') saved = await this.advance(saved, `skipped by ${actor}: ${reason}`, null);
    await this.timeline(saved, cmd === 'abort' ? 'aborted' : cmd, { actor, reason });
    return saved;
  }

  private async save(r: Rollout, event?: Parameters<RolloutRepository['update']>[1]): Promise<Rollout> {
    const saved = await this.d.repo.update(r, event);
    if (!saved) throw new ConflictError('CONCURRENT_UPDATE', 'The rollout changed concurrently; reload and retry');
    return saved;
  }

  /** Appends to the registry timeline in every region; trafficPercent is what the scorer's canary arm gets now. */
  private async timeline(r: Rollout, status: string, details: Record<string, unknown>, trafficPercent = currentPercent(r)): Promise<void> {
    for (const region of r.regions) {
      await this.d.registry.appendStep(r.subject.versionId, {
        region,
        step: r.status === 'awaiting_approval' && r.awaiting ? `${r.awaiting}-approval` : r.stepIndex < 0 ? 'shadow' : `canary-${r.steps[r.stepIndex]?.percent ?? 0}`,
        trafficPercent,
        status,
        details: { rolloutId: r.id, ...details },
      });
    }
  }

  // ───────────── decisions ─────────────

  /**
   * Called by the leader's decision consumer for every decision.made event. Cheap, synchronous. Returns the ids of
   * rollouts whose canary window took the decision (the caller may keep it for the matured-label report).
   */
  ingestDecision(e: DecisionMadeEvent): string[] {
    const took: string[] = [];
    const at = Date.parse(e.occurredAt);
    for (const r of this.active) {
      if (!r.regions.includes(e.region) || at < Date.parse(r.stepStartedAt)) continue;
      const key = windowKey(r);
      const status = r.status === 'paused' ? r.pausedFrom : r.status;
      if (status === 'canary') {
        const slot = this.canaryWindows.get(r.id);
        if (!slot || slot.key !== key) continue;
        recordDecision(slot.w, e);
        took.push(r.id);
        if (e.payload.action === 'allow') this.track(e, { rolloutId: r.id, windowKey: key, arm: e.payload.arm, region: e.region, paymentMethodId: e.payload.subject.paymentMethodId });
      } else if (status === 'shadow') {
        const slot = this.shadowWindows.get(r.id);
        if (slot && slot.key === key) recordShadow(slot.w, e, r.subject.scorerVersion ?? r.subject.versionId);
      }
    }
    return took;
  }

  private track(e: DecisionMadeEvent, t: TrackedCheckout): void {
    const max = this.d.maxTrackedCheckouts ?? 200_000;
    if (this.tracked.size >= max) {
      const oldest = this.tracked.keys().next();
      if (!oldest.done) this.tracked.delete(oldest.value);
    }
    this.tracked.set(e.payload.checkoutId, t);
  }

  /** Issuer outcome of a checkout (payment.authorised / payment.declined): the immediate-label proxy. */
  ingestAuthorisation(checkoutId: string, failed: boolean): void {
    const t = this.tracked.get(checkoutId);
    if (!t) return;
    this.tracked.delete(checkoutId);
    const slot = this.canaryWindows.get(t.rolloutId);
    if (slot && slot.key === t.windowKey) recordAuthorisation(slot.w, t, failed);
  }

  // ───────────── the loop ─────────────

  /** One pass over every active rollout (leader only). Errors in one rollout do not stop the others. */
  async tick(): Promise<void> {
    const rollouts = await this.d.repo.list({ active: true });
    for (const r of rollouts) this.adoptWindows(r);
    this.active = rollouts;
    for (const r of rollouts) {
      try {
        await this.step(r);
      } catch (err) {
        this.d.logger.warn({ rolloutId: r.id, err: (err as Error).message, code: (err as { code?: string }).code }, 'rollout tick failed; retrying next tick');
      }
    }
    this.active = await this.d.repo.list({ active: true });
    for (const r of this.active) this.adoptWindows(r);
    for (const id of [...this.canaryWindows.keys()]) if (!this.active.some((r) => r.id === id)) this.canaryWindows.delete(id);
    for (const id of [...this.shadowWindows.keys()]) if (!this.active.some((r) => r.id === id)) this.shadowWindows.delete(id);
  }

  /** Keeps the in-memory window for the rollout's current step; after a restart, starts from the persisted one. */
  private adoptWindows(r: Rollout): void {
    const key = windowKey(r);
    const status = r.status === 'paused' ? r.pausedFrom : r.status;
    if (status === 'canary' && this.canaryWindows.get(r.id)?.key !== key) {
      const persisted = r.canaryWindow && r.canaryWindow.startedAt === r.stepStartedAt ? r.canaryWindow : emptyCanaryWindow(new Date(r.stepStartedAt));
      this.canaryWindows.set(r.id, { key, w: structuredClone(persisted) });
    }
    if (status === 'shadow' && this.shadowWindows.get(r.id)?.key !== key) {
      const persisted = r.shadowWindow && r.shadowWindow.startedAt === r.stepStartedAt ? r.shadowWindow : emptyShadowWindow(new Date(r.stepStartedAt));
      this.shadowWindows.set(r.id, { key, w: structuredClone(persisted) });
    }
  }

  private async step(r: Rollout): Promise<void> {
    const now = this.now();
    const elapsed = now.getTime() - Date.parse(r.stepStartedAt);
    if (r.status === 'paused') {
      await this.persistWindow(r);
      return;
    }
    if (r.status === 'awaiting_approval') return void (await this.checkApprovals(r));
    if (r.status === 'shadow') {
      const w = this.shadowWindows.get(r.id)?.w ?? emptyShadowWindow(new Date(r.stepStartedAt));
      const report = compareShadow(w, r.shadowGate, now);
      if (report.verdict === 'fail') {
        await this.retreat(r, `shadow comparison failed: ${report.reasons.join('; ')}`, { shadow: report });
        await this.d.registry.attachEvidence(r.subject.versionId, 'shadow-comparison', { rolloutId: r.id, ...report });
        await this.d.alerts.publish(this.alert(r, 'rollout.shadow_rejected', 'warning', `Shadow comparison rejected ${r.subject.model} ${r.subject.versionId}: ${report.reasons.join('; ')}`, { shadow: report }));
        const saved = await this.save({ ...r, status: 'rolled_back', shadowWindow: w, shadowReport: report, outcome: `shadow rejected: ${report.reasons.join('; ')}`, updatedAt: now.toISOString() }, { rolloutId: r.id, type: 'shadow_rejected', actor: 'controller', details: { reasons: report.reasons } });
        await this.timeline(saved, 'rejected', { reasons: report.reasons });
        return;
      }
      if (elapsed >= r.shadowMs && report.verdict === 'pass') {
        await this.d.registry.attachEvidence(r.subject.versionId, 'shadow-comparison', { rolloutId: r.id, ...report });
        await this.advance({ ...r, shadowWindow: w, shadowReport: report }, 'shadow comparison passed', null);
        return;
      }
      await this.save({ ...r, shadowWindow: w, shadowReport: report, updatedAt: now.toISOString() });
      return;
    }
    if (r.status !== 'canary') return;
    const w = this.canaryWindows.get(r.id)?.w ?? emptyCanaryWindow(new Date(r.stepStartedAt));
    const fullTraffic = (r.steps[r.stepIndex]?.percent ?? 0) >= 100;
    const analysis = analyseCanary(fullTraffic && r.baseline ? { ...w, production: r.baseline } : w, r.guardrails, now);
    if (analysis.verdict === 'breach') return void (await this.breach({ ...r, canaryWindow: w, lastAnalysis: analysis }, analysis));
    const bake = r.steps[r.stepIndex]?.bakeMs ?? 0;
    if (elapsed >= bake && analysis.verdict === 'pass') {
      await this.d.registry.attachEvidence(r.subject.versionId, 'canary-analysis', { rolloutId: r.id, step: r.stepIndex, percent: currentPercent(r), verdict: analysis.verdict, samples: analysis.samples, results: analysis.results });
      await this.advance({ ...r, canaryWindow: w, lastAnalysis: analysis }, `step ${r.steps[r.stepIndex]?.percent}% passed`, analysis);
      return;
    }
    await this.save({ ...r, canaryWindow: w, lastAnalysis: analysis, updatedAt: now.toISOString() });
  }

  private async persistWindow(r: Rollout): Promise<void> {
    const cw = this.canaryWindows.get(r.id);
    const sw = this.shadowWindows.get(r.id);
    await this.save({ ...r, canaryWindow: cw?.w ?? r.canaryWindow, shadowWindow: sw?.w ?? r.shadowWindow, updatedAt: this.now().toISOString() });
  }

  /** Moves to the next step; past the last one, asks for (or completes) the production promotion. */
  private async advance(r: Rollout, why: string, analysis: CanaryAnalysis | null): Promise<Rollout> {
    const now = this.now().toISOString();
    if (r.status === 'shadow' || r.stepIndex < 0) {
      return this.requestApproval(r, 'canary', why, true);
    }
    const nextIndex = r.stepIndex + 1;
    if (nextIndex < r.steps.length) {
      const saved = await this.save(
        { ...r, stepIndex: nextIndex, stepStartedAt: now, canaryWindow: null, baseline: r.canaryWindow && r.canaryWindow.production.overall.n > 0 ? r.canaryWindow.production : r.baseline, updatedAt: now },
        { rolloutId: r.id, type: 'step', actor: 'controller', details: { from: r.steps[r.stepIndex]?.percent, to: r.steps[nextIndex]?.percent, why } },
      );
      await this.timeline(saved, 'active', { why, previous: analysis ? { verdict: analysis.verdict, samples: analysis.samples } : null });
      this.d.metrics.stepChanged?.(r.id, currentPercent(saved));
      this.d.logger.info({ rolloutId: r.id, percent: currentPercent(saved), why }, 'rollout step');
      return saved;
    }
    if (r.promoteToProduction) return this.requestApproval(r, 'production', why, true);
    const saved = await this.save({ ...r, status: 'completed', outcome: `completed at ${currentPercent(r)}% canary`, updatedAt: now }, { rolloutId: r.id, type: 'completed', actor: 'controller', details: { why } });
    await this.timeline(saved, 'completed', { why });
    return saved;
  }

  /** Opens the four-eyes requests for the next stage in every region; the rollout waits for their approval. */
  private async requestApproval(r: Rollout, target: 'canary' | 'production', why: string, persist = false): Promise<Rollout> {
    const ids: Record<string, string> = { ...r.requests[target] };
    for (const region of r.regions) {
      ids[region] ??= await this.d.registry.requestPromotion(r.subject.versionId, region, target, `rollout ${r.id}: ${why}`, {
        rolloutId: r.id,
        ...(r.lastAnalysis ? { canaryAnalysis: { verdict: r.lastAnalysis.verdict, samples: r.lastAnalysis.samples } } : {}),
        ...(r.shadowReport ? { shadow: { psi: r.shadowReport.psi, disagreementRate: r.shadowReport.disagreementRate, n: r.shadowReport.n } } : {}),
      });
    }
    const next: Rollout = { ...r, status: 'awaiting_approval', awaiting: target, requests: { ...r.requests, [target]: ids }, updatedAt: this.now().toISOString() };
    if (!persist) {
      Object.assign(r, next);
      return r;
    }
    const saved = await this.save(next, { rolloutId: r.id, type: 'approval_requested', actor: 'controller', details: { target, requests: ids } });
    await this.timeline(saved, `awaiting_${target}_approval`, { requests: ids });
    return saved;
  }

  private async checkApprovals(r: Rollout): Promise<void> {
    const target = r.awaiting;
    if (!target) return;
    const ids = r.requests[target];
    const statuses = await Promise.all(r.regions.map(async (g) => [g, await this.d.registry.promotionStatus(r.subject.model, ids[g] ?? '')] as const));
    const refused = statuses.find(([, s]) => s === 'rejected' || s === 'cancelled');
    if (refused) {
      await this.retreat(r, `promotion to ${target} ${refused[1]} in ${refused[0]}`, {});
      const saved = await this.save({ ...r, status: 'aborted', outcome: `promotion to ${target} ${refused[1]} in ${refused[0]}`, updatedAt: this.now().toISOString() }, { rolloutId: r.id, type: 'aborted', actor: 'controller', details: { target, statuses } });
      await this.timeline(saved, 'aborted', { reason: `request ${refused[1]}` });
      return;
    }
    if (!statuses.every(([, s]) => s === 'approved' || s === 'executed')) return;
    for (const [region, s] of statuses) {
      if (s === 'approved') {
        await this.d.registry.executePromotion(ids[region] as string, `rollout ${r.id}: ${target}`, {
          rolloutId: r.id,
          ...(r.lastAnalysis ? { canaryAnalysis: { verdict: r.lastAnalysis.verdict, samples: r.lastAnalysis.samples, results: r.lastAnalysis.results } } : {}),
        });
      }
    }
    const now = this.now().toISOString();
    if (target === 'canary') {
      const saved = await this.save({ ...r, status: 'canary', awaiting: null, stepIndex: 0, stepStartedAt: now, canaryWindow: null, updatedAt: now }, { rolloutId: r.id, type: 'step', actor: 'controller', details: { to: r.steps[0]?.percent } });
      await this.timeline(saved, 'active', { approvedRequests: ids });
      this.d.metrics.stepChanged?.(r.id, currentPercent(saved));
      return;
    }
    const saved = await this.save({ ...r, status: 'completed', awaiting: null, outcome: 'promoted to production', updatedAt: now }, { rolloutId: r.id, type: 'completed', actor: 'controller', details: { requests: ids } });
    for (const region of r.regions) {
      await this.d.registry.appendStep(r.subject.versionId, { region, step: 'production', trafficPercent: 100, status: 'completed', details: { rolloutId: r.id } });
    }
    this.d.logger.info({ rolloutId: saved.id }, 'rollout promoted to production');
  }

  private async breach(r: Rollout, analysis: CanaryAnalysis): Promise<void> {
    const evidence = { rolloutId: r.id, step: r.stepIndex, percent: currentPercent(r), windowStartedAt: analysis.windowStartedAt, samples: analysis.samples, breaches: analysis.breaches, results: analysis.results };
    for (const b of analysis.breaches) this.d.metrics.guardrailBreach(r.id, b.guardrail);
    await this.retreat(r, `guardrail breach: ${summarise(analysis)}`, evidence);
    await this.d.registry.attachEvidence(r.subject.versionId, 'canary-breach', evidence);
    await this.d.alerts.publish(this.alert(r, 'rollout.guardrail_breach', 'critical', `Canary of ${r.subject.model} rolled back at ${currentPercent(r)}%: ${summarise(analysis)}`, evidence));
    const saved = await this.save({ ...r, status: 'rolled_back', outcome: `rolled back at ${currentPercent(r)}%: ${summarise(analysis)}`, updatedAt: this.now().toISOString() }, { rolloutId: r.id, type: 'rolled_back', actor: 'controller', details: evidence });
    await this.timeline(saved, 'rolled_back', { breaches: analysis.breaches.map((b) => `${b.guardrail}@${b.segment}`) }, 0);
    this.d.logger.warn({ rolloutId: r.id, breaches: analysis.breaches.map((b) => `${b.guardrail}@${b.segment}`) }, 'guardrail breach: rolled back');
  }

  /** Takes the candidate out of customer traffic in every region (canary/shadow → candidate). */
  private async retreat(r: Rollout, reason: string, evidence: Record<string, unknown>): Promise<void> {
    for (const region of r.regions) {
      const stage = await this.d.registry.stageOf(r.subject.versionId, region);
      if (stage === 'canary' || stage === 'shadow') await this.d.registry.transition(r.subject.versionId, region, 'candidate', reason, evidence);
      else if (stage === 'production' && r.status !== 'completed') await this.d.registry.rollbackProduction(r.subject.model, region, reason, evidence);
    }
  }

  private alert(r: Rollout, name: Parameters<RolloutAlertPort['publish']>[0]['name'], severity: 'critical' | 'warning', summary: string, details: Record<string, unknown>) {
    return { name, rolloutId: r.id, model: r.subject.model, versionId: r.subject.versionId, regions: r.regions, severity, summary, details, at: this.now().toISOString() };
  }
}

function summarise(a: CanaryAnalysis): string {
  return a.breaches
    .slice(0, 5)
    .map((b) => {
      const fmt = (v: number): string => (b.guardrail.endsWith('_rate') ? `${(v * 100).toFixed(2)}%` : v.toFixed(2));
      return `${b.guardrail} ${b.segment} canary ${fmt(b.canary)} vs production ${fmt(b.production)} (n=${b.nCanary}/${b.nProduction})`;
    })
    .join('; ');
}
