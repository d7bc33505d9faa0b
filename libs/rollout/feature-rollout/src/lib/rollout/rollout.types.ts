import { z } from 'zod';
import type { CanaryAnalysis } from '../analysis/canary-analysis';
import type { ArmWindow, CanaryWindow, ShadowWindow } from '../analysis/decision-window';
import { guardrailConfigSchema, shadowGateSchema, type GuardrailConfig, type ShadowGate } from '../analysis/guardrails.config';
import type { ShadowComparison } from '../analysis/shadow-comparison';

/** What is rolled out: a model version, or a policy/rules version registered as a version of a policy "model". */
export const rolloutSubjectSchema = z.object({
  kind: z.enum(['model', 'policy']).default('model'),
  /** Registry model name (for policies: the policy's registry name, e.g. `checkout-policy`). */
  model: z.string().min(1).max(100),
  versionId: z.uuid(),
  /** The version string the scorer stamps on decisions (`modelVersion`, shadow entries), if not the version id. */
  scorerVersion: z.string().min(1).max(128).optional(),
});
export type RolloutSubject = z.infer<typeof rolloutSubjectSchema>;

export const rolloutStepSchema = z.object({ percent: z.number().gt(0).max(100), bakeMs: z.number().int().min(0) });

export const startRolloutSchema = z.object({
  subject: rolloutSubjectSchema,
  regions: z.array(z.string().min(1).max(20)).min(1).max(10),
  /** Shadow phase before any customer sees the candidate; 0 skips it. */
  shadowMs: z.number().int().min(0).default(0),
  steps: z
    .array(rolloutStepSchema)
    .min(1)
    .max(20)
    .default([
      { percent: 1, bakeMs: 30 * 60_000 },
      { percent: 5, bakeMs: 60 * 60_000 },
      { percent: 25, bakeMs: 60 * 60_000 },
      { percent: 50, bakeMs: 60 * 60_000 },
      { percent: 100, bakeMs: 60 * 60_000 },
    ])
    .refine((s) => s.every((x, i) => i === 0 || x.percent > (s[i - 1]?.percent ?? 0)), 'step percentages must increase'),
  /** Promote to production after the last step's bake (needs an approved production request). */
  promoteToProduction: z.boolean().default(true),
  guardrails: guardrailConfigSchema.default(guardrailConfigSchema.parse({})),
  shadowGate: shadowGateSchema.default(shadowGateSchema.parse({})),
  reason: z.string().min(1).max(2000),
});
export type StartRolloutInput = z.input<typeof startRolloutSchema>;
export type StartRolloutCommand = z.output<typeof startRolloutSchema>;

export const ROLLOUT_STATUSES = ['shadow', 'awaiting_approval', 'canary', 'paused', 'completed', 'rolled_back', 'aborted'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RolloutStatus[] = ['completed', 'rolled_back', 'aborted'];

export interface RolloutRequests {
  /** region → promotion request id, per target stage. */
  canary: Record<string, string>;
  production: Record<string, string>;
}

export interface Rollout {
  id: string;
  subject: RolloutSubject;
  regions: string[];
  shadowMs: number;
  steps: { percent: number; bakeMs: number }[];
  promoteToProduction: boolean;
  guardrails: GuardrailConfig;
  shadowGate: ShadowGate;
  status: RolloutStatus;
  /** Which approval an `awaiting_approval` rollout waits for. */
  awaiting: 'canary' | 'production' | null;
  /** −1 during shadow; index into `steps` during canary. */
  stepIndex: number;
  stepStartedAt: string;
  pausedFrom: RolloutStatus | null;
  requests: RolloutRequests;
  canaryWindow: CanaryWindow | null;
  /**
   * Production's arm from the last step that still had production traffic: at 100% there is nothing to compare
   * with over the same period, so the canary is held to the most recent like-for-like baseline.
   */
  baseline: ArmWindow | null;
  shadowWindow: ShadowWindow | null;
  lastAnalysis: CanaryAnalysis | null;
  shadowReport: ShadowComparison | null;
  outcome: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: every write must name the version it read. */
  rowVersion: number;
}

/** Canary traffic now: the step's share while baking, paused, or waiting for the production approval after the last step. */
export function currentPercent(r: Rollout): number {
  const status = r.status === 'paused' ? r.pausedFrom : r.status;
  const serving = status === 'canary' || (status === 'awaiting_approval' && r.awaiting === 'production');
  return serving && r.stepIndex >= 0 ? (r.steps[r.stepIndex]?.percent ?? 0) : 0;
}
