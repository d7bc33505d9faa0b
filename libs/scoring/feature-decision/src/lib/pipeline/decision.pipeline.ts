import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ConsecutiveBreaker, circuitBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import type { Action, Decision, DecisionMadeEvent, DegradedEntry, ScoringRequest } from '@risk/contract-events';
import type { Logger } from '@risk/util-logging';
import { FeatureTimeoutError, type DecisionPublisher, type EdgeRequest, type FeatureProvider, type FeatureReadResult, type FeatureValues, type ModelScorer, type Tokenizer } from '../decision.ports';
import { subjectOf, tokenizeAtEdge } from '../edge/edge-tokenize';
import { logisticScorer } from '../model/logistic-model';
import type { LoadedModel, ModelManager } from '../model/model-manager';
import { encodeRow, requestFeatures } from '../model/request-features';
import { PolicyEngine } from '../policy/policy.engine';
import type { PolicyConfig } from '../policy/policy.schema';
import { firstMatch } from '../policy/rule-match';
import { Triage } from '../triage/triage';
import { AdaptiveLimiter } from './adaptive-limiter';
import { withDeadline } from './deadline';

export interface PipelineBudgets {
  /** Deadline of the online feature read. */
  featuresMs: number;
  /** Latency target of the feature stage for the adaptive limiter. */
  featuresTargetMs: number;
  /** Initial / max concurrent feature reads before shedding to the cheap path. */
  maxConcurrency: number;
  minConcurrency: number;
}

export interface PipelineDeps {
  policy: PolicyConfig;
  models: ModelManager;
  features: FeatureProvider | null;
  tokenizer: Tokenizer;
  publisher?: DecisionPublisher;
  featureSet: { name: string; version: string };
  budgets: PipelineBudgets;
  /** Whether a model registry is configured; without one `registry_unavailable` is reported. */
  registryConfigured: boolean;
  breaker?: { consecutiveFailures: number; halfOpenAfterMs: number };
  logger?: Logger;
  /** Metrics hook, called synchronously after each decision. */
  observe?: (d: Decision, arm: 'production' | 'canary') => void;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
type Stage = DegradedEntry['stage'];
type Reason = DegradedEntry['reason'];

/**
 * Triage → features → model → policy, each under its own deadline. A valid request always gets a valid
 * decision: every failure is caught, the stage falls back, and the reason is reported in `degraded`.
 */
export class DecisionPipeline {
  readonly policyEngine: PolicyEngine;
  private readonly triage: Triage;
  private readonly fallback: ModelScorer;
  readonly limiter: AdaptiveLimiter;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(private readonly deps: PipelineDeps) {
    this.policyEngine = new PolicyEngine(deps.policy);
    this.triage = new Triage(deps.policy);
    this.fallback = logisticScorer(deps.policy.fallbackModel);
    const b = deps.budgets;
    this.limiter = new AdaptiveLimiter({ initial: b.maxConcurrency, min: b.minConcurrency, max: b.maxConcurrency, targetMs: b.featuresTargetMs });
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: deps.breaker?.halfOpenAfterMs ?? 1000,
      breaker: new ConsecutiveBreaker(deps.breaker?.consecutiveFailures ?? 5),
    });
  }

  get breakerState(): string {
    return String(this.breaker.state);
  }

  async decide(request: ScoringRequest): Promise<Decision> {
    const t0 = performance.now();
    const requestId = randomUUID();
    try {
      return await this.run(request, requestId, t0);
    } catch (err) {
      // Last resort: a bug in a stage must still produce a valid, conservative decision.
      this.deps.logger?.error({ err: (err as Error).message, checkoutId: request.checkoutId }, 'pipeline failure; policy fallback');
      const total = round(performance.now() - t0);
      return {
        schemaVersion: '1',
        requestId,
        checkoutId: request.checkoutId,
        region: request.region,
        action: this.deps.policy.rulesOnly.default,
        score: this.deps.policy.rulesOnly.defaultScore,
        reasonCodes: ['POLICY_FALLBACK'],
        modelVersion: null,
        policyVersion: this.deps.policy.version,
        timings: { triageMs: 0, featuresMs: 0, modelMs: 0, policyMs: 0, totalMs: total },
        degraded: [{ stage: 'service', reason: 'policy_fallback' }],
      };
    }
  }

  private async run(request: ScoringRequest, requestId: string, t0: number): Promise<Decision> {
    const d = this.deps;
    const degraded: DegradedEntry[] = [];
    const flag = (stage: Stage, reason: Reason): void => void degraded.push({ stage, reason });
    const now = Date.now();

    // Triage
    const edge = tokenizeAtEdge(request, d.tokenizer);
    const rt = requestFeatures(request);
    const triage = this.triage.run(edge, rt, now);
    const t1 = performance.now();

    const { model, arm } = d.models.select(request.checkoutId);
    const health = d.models.health;
    if (!health.registryReachable && (d.registryConfigured || !model)) flag('model', 'registry_unavailable');
    if (d.publisher?.available && !d.publisher.available()) flag('service', 'event_log_unavailable');

    let online: FeatureReadResult | null = null;
    let action: Action;
    let score: number;
    let reasonCodes: string[];
    let modelVersion: string | null = null;
    let t2 = t1;
    let t3 = t1;

    if (triage.action) {
      action = triage.action;
      score = triage.score ?? 0;
      reasonCodes = triage.reasonCodes;
      this.policyEngine.record(action, now);
    } else {
      // Features: only worth the I/O when a model will use them.
      if (model) online = await this.readFeatures(edge, flag);
      t2 = performance.now();

      // Model
      let p: number | null = null;
      if (model) {
        const useFallback = online === null;
        const scorer = useFallback ? this.fallback : model.scorer;
        p = this.predict(scorer, online?.values ?? {}, rt);
        if (p === null && !useFallback) {
          flag('model', 'model_error');
          p = this.predict(this.fallback, {}, rt);
          modelVersion = p === null ? null : this.fallback.version;
        } else if (p !== null) {
          modelVersion = scorer.version;
        }
      } else {
        flag('model', health.problem ?? 'model_missing');
      }
      t3 = performance.now();

      // Policy
      if (p === null) {
        const rule = firstMatch(d.policy.rulesOnly.rules, request, rt);
        action = rule?.action ?? d.policy.rulesOnly.default;
        score = rule?.score ?? d.policy.rulesOnly.defaultScore;
        reasonCodes = ['RULES_ONLY', ...(rule ? [rule.code] : [])];
        this.policyEngine.record(action, now);
      } else {
        const out = this.policyEngine.decide(p, request, rt, now);
        action = out.action;
        score = p;
        reasonCodes = out.reasonCodes;
      }
    }
    const t4 = performance.now();

    const decision: Decision = {
      schemaVersion: '1',
      requestId,
      checkoutId: request.checkoutId,
      region: request.region,
      action,
      score: Math.min(1, Math.max(0, score)),
      reasonCodes: reasonCodes.slice(0, 32),
      ...(action === 'step_up' ? { stepUp: { method: d.policy.stepUpMethod } } : {}),
      ...(action === 'route' ? { route: { paymentPath: d.policy.safeRoute } } : {}),
      modelVersion,
      policyVersion: d.policy.version,
      timings: {
        triageMs: round(t1 - t0),
        featuresMs: round(t2 - t1),
        modelMs: round(t3 - t2),
        policyMs: round(t4 - t3),
        totalMs: round(t4 - t0),
      },
      degraded,
    };
    d.observe?.(decision, arm);
    if (d.publisher || d.models.current.shadows.length) {
      // Shadow scoring and the decision log run after the response is on its way.
      setImmediate(() => this.afterResponse(decision, edge, rt, online?.values ?? null, arm));
    }
    return decision;
  }

  private async readFeatures(edge: EdgeRequest, flag: (s: Stage, r: Reason) => void): Promise<FeatureReadResult | null> {
    const provider = this.deps.features;
    if (!provider) {
      flag('features', 'features_unavailable');
      return null;
    }
    if (!this.limiter.tryAcquire()) {
      flag('service', 'overload_shed');
      return null;
    }
    const started = performance.now();
    const ms = this.deps.budgets.featuresMs;
    let ok = false;
    try {
      const res = await withDeadline(
        this.breaker.execute(() => provider.read(edge, ms)),
        ms,
      );
      if (res.ok) {
        ok = true;
        if (res.value.stale) flag('features', 'features_stale');
        return res.value;
      }
      const timeout = res.timedOut || res.error instanceof FeatureTimeoutError;
      if (!timeout) this.deps.logger?.debug({ err: (res.error as Error | undefined)?.message }, 'online features unavailable');
      flag('features', timeout ? 'features_timeout' : 'features_unavailable');
      return null;
    } finally {
      this.limiter.release(performance.now() - started, ok);
    }
  }

  private predict(scorer: ModelScorer, online: FeatureValues, rt: FeatureValues): number | null {
    try {
      const p = scorer.predict(encodeRow(scorer.featureNames, online, rt));
      return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
    } catch {
      return null;
    }
  }

  private afterResponse(decision: Decision, edge: EdgeRequest, rt: FeatureValues, online: FeatureValues | null, arm: 'production' | 'canary'): void {
    try {
      const shadows = this.deps.models.current.shadows;
      const shadow = shadows.length ? this.scoreShadows(shadows, edge.request, online, rt) : undefined;
      if (!this.deps.publisher) return;
      const event: DecisionMadeEvent = {
        eventId: randomUUID(),
        schemaVersion: 1,
        type: 'decision.made',
        occurredAt: new Date().toISOString(),
        region: decision.region,
        payload: {
          requestId: decision.requestId,
          checkoutId: decision.checkoutId,
          subject: subjectOf(edge),
          action: decision.action,
          score: decision.score,
          reasonCodes: decision.reasonCodes,
          modelVersion: decision.modelVersion,
          policyVersion: decision.policyVersion,
          featureSet: this.deps.featureSet,
          features: { ...(online ?? {}), ...rt },
          timings: { ...decision.timings },
          degraded: decision.degraded,
          arm,
          ...(shadow ? { shadow } : {}),
        },
      };
      this.deps.publisher.publish(event);
    } catch (err) {
      this.deps.logger?.warn({ err: (err as Error).message }, 'decision log publish failed');
    }
  }

  private scoreShadows(shadows: LoadedModel[], r: ScoringRequest, online: FeatureValues | null, rt: FeatureValues): Array<{ modelVersion: string; score: number; action: Action }> {
    const out: Array<{ modelVersion: string; score: number; action: Action }> = [];
    for (const s of shadows) {
      const p = this.predict(s.scorer, online ?? {}, rt);
      if (p === null) continue;
      // Ranking only: shadow actions must not move the live guardrail window.
      const ranked = this.policyEngine.rank(p, r);
      out.push({ modelVersion: s.scorer.version, score: p, action: (ranked[0]?.action ?? 'allow') as Action });
    }
    return out;
  }
}
