import { ValidationError, type ErrorIssue } from '@risk/util-errors';
import type { z } from 'zod';
import { findPanPaths } from './pan.guard';

export const PAN_DETECTED = 'PAN_DETECTED';

/**
 * Parses untrusted input against a contract. Raw card numbers are refused before schema parsing so the value
 * never reaches an error message or a log; every other problem is reported per path.
 */
export function parseContract<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const panPaths = findPanPaths(input);
  if (panPaths.length) {
    throw new ValidationError(
      `${what} contains a value that looks like a raw card number; send the PSP card token instead`,
      panPaths.map((path) => ({ path, message: 'raw card number (PAN) is never accepted', code: PAN_DETECTED })),
      PAN_DETECTED,
    );
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: ErrorIssue[] = parsed.error.issues.flatMap((i) => {
    const base = i.path.map(String).join('.');
    // Unknown keys are reported one path each, so a client sees exactly which field to drop.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'unknown field', code: 'unknown_field' }));
    }
    return [{ path: base || '(root)', message: i.message, code: i.code }];
  });
  throw new ValidationError(`${what} is invalid`, issues);
}
