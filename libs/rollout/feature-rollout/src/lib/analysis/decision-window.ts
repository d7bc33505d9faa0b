import type { DecisionMadeEvent } from '@risk/contract-events';
import { addLatency, addScore, emptyLatencyHistogram, emptyScoreHistogram } from '../stats/distribution';

export type Arm = 'production' | 'canary';

/** Rate counters of one arm in one segment. */
export interface RateCounts {
  n: number;
  decline: number;
  stepUp: number;
  degraded: number;
  /** Decisions whose model failed (model_error/model_timeout/model_missing). */
  error: number;
  allowed: number;
  /** Allowed checkouts the issuer then refused: the immediate-label proxy. */
  authFailed: number;
}

export interface ArmWindow {
  overall: RateCounts;
  byRegion: Record<string, RateCounts>;
  byPaymentMethod: Record<string, RateCounts>;
  scores: number[];
  latencyMs: number[];
}

/** Decisions of both arms over one canary step (the same period for both: the guardrails compare like with like). */
export interface CanaryWindow {
  startedAt: string;
  production: ArmWindow;
  canary: ArmWindow;
}

const MODEL_FAILURES = new Set(['model_error', 'model_timeout', 'model_missing']);

export function emptyCounts(): RateCounts {
  return { n: 0, decline: 0, stepUp: 0, degraded: 0, error: 0, allowed: 0, authFailed: 0 };
}

function emptyArm(): ArmWindow {
  return { overall: emptyCounts(), byRegion: {}, byPaymentMethod: {}, scores: emptyScoreHistogram(), latencyMs: emptyLatencyHistogram() };
}

export function emptyCanaryWindow(startedAt: Date): CanaryWindow {
  return { startedAt: startedAt.toISOString(), production: emptyArm(), canary: emptyArm() };
}

function bump(c: RateCounts, e: DecisionMadeEvent): void {
  const p = e.payload;
  c.n++;
  if (p.action === 'decline') c.decline++;
  else if (p.action === 'step_up') c.stepUp++;
  else if (p.action === 'allow') c.allowed++;
  if (p.degraded.length) c.degraded++;
  if (p.degraded.some((d) => MODEL_FAILURES.has(d.reason))) c.error++;
}

function segment(map: Record<string, RateCounts>, key: string): RateCounts {
  return (map[key] ??= emptyCounts());
}

/** Adds one decision to its arm. Segments: region and payment method (the subject's paymentMethodId). */
export function recordDecision(w: CanaryWindow, e: DecisionMadeEvent): void {
  const arm = w[e.payload.arm];
  bump(arm.overall, e);
  bump(segment(arm.byRegion, e.region), e);
  bump(segment(arm.byPaymentMethod, e.payload.subject.paymentMethodId), e);
  addScore(arm.scores, e.payload.score);
  addLatency(arm.latencyMs, e.payload.timings['totalMs'] ?? 0);
}

/** An issuer outcome for a checkout this window allowed (joined by checkout id by the caller). */
export function recordAuthorisation(w: CanaryWindow, ref: { arm: Arm; region: string; paymentMethodId: string }, failed: boolean): void {
  if (!failed) return;
  const arm = w[ref.arm];
  arm.overall.authFailed++;
  segment(arm.byRegion, ref.region).authFailed++;
  segment(arm.byPaymentMethod, ref.paymentMethodId).authFailed++;
}

/** Shadow comparison window: production's live decision beside the candidate's off-path score, request by request. */
export interface ShadowWindow {
  startedAt: string;
  n: number;
  productionScores: number[];
  shadowScores: number[];
  productionActions: Record<string, number>;
  shadowActions: Record<string, number>;
  /** `region|paymentMethodId` → compared requests and action disagreements. */
  bySegment: Record<string, { n: number; disagree: number }>;
  productionLatencyMs: number[];
}

export function emptyShadowWindow(startedAt: Date): ShadowWindow {
  return {
    startedAt: startedAt.toISOString(),
    n: 0,
    productionScores: emptyScoreHistogram(),
    shadowScores: emptyScoreHistogram(),
    productionActions: {},
    shadowActions: {},
    bySegment: {},
    productionLatencyMs: emptyLatencyHistogram(),
  };
}

/** Adds a production decision carrying the candidate's shadow score; ignores events without it. */
export function recordShadow(w: ShadowWindow, e: DecisionMadeEvent, shadowVersion: string): boolean {
  const s = e.payload.shadow?.find((x) => x.modelVersion === shadowVersion);
  if (!s || e.payload.arm !== 'production') return false;
  w.n++;
  addScore(w.productionScores, e.payload.score);
  addScore(w.shadowScores, s.score);
  w.productionActions[e.payload.action] = (w.productionActions[e.payload.action] ?? 0) + 1;
  w.shadowActions[s.action] = (w.shadowActions[s.action] ?? 0) + 1;
  const seg = (w.bySegment[`${e.region}|${e.payload.subject.paymentMethodId}`] ??= { n: 0, disagree: 0 });
  seg.n++;
  if (s.action !== e.payload.action) seg.disagree++;
  addLatency(w.productionLatencyMs, e.payload.timings['totalMs'] ?? 0);
  return true;
}
