import type { Region } from '@risk/contract-events';
import { ValidationError } from '@risk/util-errors';
import type { Logger } from '@risk/util-logging';
import { retentionDaysFor, type RetentionPolicy, type RetentionTarget } from './retention.policy';

/** What the use case needs from PostgreSQL (a `pg` Pool or Client fits). */
export interface SqlExecutor {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

export interface RetentionDeps {
  readonly sql: SqlExecutor;
  /** The region this service runs for: it only ever deletes (and sees) its own region's offline data. */
  readonly region: Region;
  readonly policy: RetentionPolicy;
  /** PostgreSQL schema of the tables (DB_SCHEMA); `public` in production, a per-test schema in tests. */
  readonly schema?: string;
  readonly logger?: Logger;
  readonly clock?: () => Date;
}

export type TargetOutcome = 'done' | 'more_remaining' | 'skipped_missing_table' | 'skipped_no_policy';

export interface TargetReport {
  table: string;
  outcome: TargetOutcome;
  deleted: number;
  batches: number;
  cutoff: string | null;
  retentionDays: number | null;
}

export interface RetentionReport {
  region: Region;
  startedAt: string;
  finishedAt: string;
  deleted: number;
  targets: TargetReport[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const q = (ident: string): string => {
  // Identifiers come from the validated policy; re-checked here because they are spliced into SQL.
  if (!IDENT.test(ident)) throw new ValidationError(`unsafe SQL identifier "${ident}"`, [], 'RETENTION_BAD_IDENTIFIER');
  return `"${ident}"`;
};
const DAY_MS = 24 * 3600 * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Deletes offline rows older than the region's retention, table by table, in bounded batches (one short
 * statement each, picked by ctid through a LIMITed subquery) so a large backlog never holds a long lock.
 * A run stops after `maxBatchesPerTarget` per table and reports `more_remaining`; the next scheduled run resumes.
 */
export class RunRetentionUseCase {
  private readonly schema: string;

  constructor(private readonly deps: RetentionDeps) {
    this.schema = deps.schema ?? 'public';
    q(this.schema);
  }

  async execute(): Promise<RetentionReport> {
    const clock = this.deps.clock ?? (() => new Date());
    const startedAt = clock();
    const targets: TargetReport[] = [];
    for (const target of this.deps.policy.targets) targets.push(await this.runTarget(target, startedAt));
    const report: RetentionReport = {
      region: this.deps.region,
      startedAt: startedAt.toISOString(),
      finishedAt: clock().toISOString(),
      deleted: targets.reduce((s, t) => s + t.deleted, 0),
      targets,
    };
    this.deps.logger?.info({ region: report.region, deleted: report.deleted, targets: targets.map((t) => ({ table: t.table, outcome: t.outcome, deleted: t.deleted })) }, 'retention run finished');
    return report;
  }

  private async runTarget(target: RetentionTarget, now: Date): Promise<TargetReport> {
    const { policy, region, sql } = this.deps;
    const days = retentionDaysFor(policy, target, region);
    const base = { table: target.table, deleted: 0, batches: 0 };
    if (days === undefined) return { ...base, outcome: 'skipped_no_policy', cutoff: null, retentionDays: null };
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const exists = await sql.query('SELECT to_regclass($1) IS NOT NULL AS present', [`${q(this.schema)}.${q(target.table)}`]);
    if (!(exists.rows[0] as { present?: boolean } | undefined)?.present) {
      return { ...base, outcome: 'skipped_missing_table', cutoff: cutoff.toISOString(), retentionDays: days };
    }
    const table = `${q(this.schema)}.${q(target.table)}`;
    const where = target.regionColumn ? `${q(target.timestampColumn)} < $1 AND ${q(target.regionColumn)} = $3` : `${q(target.timestampColumn)} < $1`;
    const statement = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $2))`;
    const params = target.regionColumn ? [cutoff, policy.batchSize, region] : [cutoff, policy.batchSize];
    let deleted = 0;
    let batches = 0;
    while (batches < policy.maxBatchesPerTarget) {
      const res = await sql.query(statement, params);
      batches++;
      const n = res.rowCount ?? 0;
      deleted += n;
      if (n < policy.batchSize) return { ...base, outcome: 'done', deleted, batches, cutoff: cutoff.toISOString(), retentionDays: days };
      if (policy.pauseBetweenBatchesMs) await sleep(policy.pauseBetweenBatchesMs);
    }
    return { ...base, outcome: 'more_remaining', deleted, batches, cutoff: cutoff.toISOString(), retentionDays: days };
  }
}
