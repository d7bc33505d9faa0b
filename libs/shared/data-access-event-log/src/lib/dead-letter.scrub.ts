import { findPanPaths } from '@risk/contract-events';

export const REDACTED_PAN = '[REDACTED:PAN]';
export const REDACTED_INVALID = '[REDACTED:INVALID]';

type Json = unknown;

function setPath(root: Json, path: string[], replacement: string): void {
  let node = root as Record<string, unknown> | unknown[] | null;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[path[i]] as Record<string, unknown> | null;
  }
  const last = path[path.length - 1];
  if (node !== null && typeof node === 'object' && last !== undefined && last in node) (node as Record<string, unknown>)[last] = replacement;
}

/**
 * A refused event is refused precisely because it may hold what must not be stored: a raw card number, or a raw
 * identifier where a token belongs. Before it is parked on a dead-letter topic, PAN-like values anywhere and the
 * fields the validator named are blanked; everything else stays for diagnosis and replay.
 */
export function scrubForDeadLetter(value: unknown, error: unknown): unknown {
  if (typeof value === 'string') return findPanPaths(value).length ? REDACTED_PAN : value;
  if (value === null || typeof value !== 'object') return value;
  const copy = structuredClone(value) as Json;
  for (const p of findPanPaths(copy)) setPath(copy, p === '' ? [] : p.split('.'), REDACTED_PAN);
  const issues = (error as { issues?: { path?: unknown }[] } | null)?.issues;
  if (Array.isArray(issues)) {
    for (const issue of issues) {
      if (typeof issue?.path === 'string' && issue.path && issue.path !== '(root)') setPath(copy, issue.path.split('.'), REDACTED_INVALID);
    }
  }
  return copy;
}
