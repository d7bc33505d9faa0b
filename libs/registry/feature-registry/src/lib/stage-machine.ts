import { ConflictError, DomainError } from '@risk/util-errors';

export const STAGES = ['candidate', 'shadow', 'canary', 'production', 'archived'] as const;
export type Stage = (typeof STAGES)[number];
export const LIVE_STAGES = ['shadow', 'canary', 'production'] as const;
export type LiveStage = (typeof LIVE_STAGES)[number];

/**
 * How a stage change happens:
 * - `transition`: a direct call (no approval) — only moves that cannot put a model in front of customer decisions.
 * - `promote`: executing an approved four-eyes request (into canary or production).
 * - `displace`: the registry moving the previous holder of a live stage out when another version takes it.
 * - `rollback`: the one-call restore of the previous production version.
 */
export type TransitionAction = 'transition' | 'promote' | 'displace' | 'rollback';

const RULES: Readonly<Record<Stage, Partial<Record<Stage, readonly TransitionAction[]>>>> = {
  candidate: { shadow: ['transition'], canary: ['promote'], production: ['promote'], archived: ['transition'] },
  shadow: { candidate: ['transition', 'displace'], canary: ['promote'], archived: ['transition'] },
  canary: { candidate: ['transition', 'displace'], shadow: ['transition'], production: ['promote'], archived: ['transition'] },
  // Production is only left by being replaced or rolled back: a region never silently loses its live model.
  production: { archived: ['displace', 'rollback'] },
  archived: { production: ['rollback'] },
};

/** Stages that need an approved request from someone other than the requester. */
export const APPROVAL_REQUIRED: readonly Stage[] = ['canary', 'production'];

export function isStage(v: string): v is Stage {
  return (STAGES as readonly string[]).includes(v);
}

export function allowedTargets(from: Stage, action: TransitionAction): Stage[] {
  return STAGES.filter((to) => RULES[from][to]?.includes(action));
}

export function isLegalTransition(from: Stage, to: Stage, action: TransitionAction): boolean {
  return RULES[from][to]?.includes(action) ?? false;
}

export class IllegalTransitionError extends DomainError {
  constructor(from: Stage, to: Stage, action: TransitionAction) {
    const hint =
      APPROVAL_REQUIRED.includes(to) && action === 'transition'
        ? `; ${to} needs an approved promotion request`
        : ` (allowed via ${action}: ${allowedTargets(from, action).join(', ') || 'none'})`;
    super('ILLEGAL_TRANSITION', `Cannot move a version from ${from} to ${to} by ${action}${hint}`, 'conflict');
  }
}

export function assertTransition(from: Stage, to: Stage, action: TransitionAction): void {
  if (from === to) throw new ConflictError('ILLEGAL_TRANSITION', `Version is already ${to}`);
  if (!isLegalTransition(from, to, action)) throw new IllegalTransitionError(from, to, action);
}
