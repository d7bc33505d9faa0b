import { z } from 'zod';
import { REGIONS, type Region } from '@risk/contract-events';
import { ValidationError } from '@risk/util-errors';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const identifier = z.string().regex(IDENT, 'must be a plain SQL identifier');

/**
 * One timestamped table of offline data. `regionColumn` is set where rows of several regions could share a table;
 * without it the table is region-local by construction (each region has its own database), and only rows of the
 * service's own region ever get there.
 */
export const retentionTargetSchema = z.strictObject({
  table: identifier,
  timestampColumn: identifier.default('createdAt'),
  regionColumn: identifier.optional(),
  /** Retention of this table, overriding the region's default (e.g. labels kept longer than served features). */
  days: z.partialRecord(z.enum(REGIONS), z.number().int().positive()).optional(),
});
export type RetentionTarget = z.infer<typeof retentionTargetSchema>;

export const retentionPolicySchema = z.strictObject({
  /** Days of offline data kept per region; a region absent here keeps its data (the job refuses to guess). */
  days: z.partialRecord(z.enum(REGIONS), z.number().int().positive()),
  /** Rows deleted per statement: short transactions, no long locks, no replication lag spikes. */
  batchSize: z.number().int().min(1).max(100_000).default(5000),
  /** Upper bound of statements per table per run; the rest is picked up by the next run. */
  maxBatchesPerTarget: z.number().int().min(1).max(100_000).default(200),
  /** Pause between two batches so the job yields to OLTP traffic. */
  pauseBetweenBatchesMs: z.number().int().min(0).max(60_000).default(0),
  targets: z.array(retentionTargetSchema).min(1),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;
export type RetentionPolicyInput = z.input<typeof retentionPolicySchema>;

/**
 * Offline tables holding per-checkout data derived from shoppers (entity tokens, feature vectors, decisions, labels).
 * Audit and governance tables (AuditLog, StageTransition, RolloutEvent) are append-only by trigger and carry no
 * shopper data, so they are not retention targets. A table whose migration has not been applied is reported as
 * skipped, not an error.
 */
export const DEFAULT_RETENTION_TARGETS: readonly RetentionTarget[] = [
  /** served-feature log (training data): entity tokens + the served vector + its matured label */
  { table: 'ServedFeatureVector', timestampColumn: 'servedAt', regionColumn: 'region' },
  /** canary-period decisions kept for the matured-label report */
  { table: 'RolloutDecision', timestampColumn: 'createdAt', regionColumn: 'region' },
];

/** `eu=90,us=180` (the env form) → `{ eu: 90, us: 180 }`. */
export function parseRegionDays(spec: string): Partial<Record<Region, number>> {
  const out: Partial<Record<Region, number>> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [region, days] = part.split('=', 2).map((s) => s.trim());
    const n = Number(days);
    if (!(REGIONS as readonly string[]).includes(region ?? '') || !Number.isInteger(n) || n <= 0) {
      throw new ValidationError(`retention spec "${part}" must be <region>=<positive days> with region one of ${REGIONS.join(', ')}`, [], 'RETENTION_BAD_SPEC');
    }
    out[region as Region] = n;
  }
  return out;
}

export function parseRetentionPolicy(input: unknown): RetentionPolicy {
  const parsed = retentionPolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'invalid retention policy',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
      'RETENTION_BAD_POLICY',
    );
  }
  return parsed.data;
}

/** Days a region keeps one target's rows, or undefined when the policy sets none for that region. */
export function retentionDaysFor(policy: RetentionPolicy, target: RetentionTarget, region: Region): number | undefined {
  return target.days?.[region] ?? policy.days[region];
}
