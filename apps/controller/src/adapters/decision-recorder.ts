import type { Pool } from 'pg';
import type { DecisionMadeEvent } from '@risk/contract-events';
import type { CanaryDecisionRecord, MaturedLabel } from '@risk/rollout';

/** Keeps canary-period decisions (one row per rollout and checkout) so matured labels can be joined later. */
export class DecisionRecorder {
  private buffer: { rolloutId: string; e: DecisionMadeEvent }[] = [];
  private labels: MaturedLabel[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly maxBuffered = 50_000,
  ) {}

  add(rolloutId: string, e: DecisionMadeEvent): void {
    if (this.buffer.length < this.maxBuffered) this.buffer.push({ rolloutId, e });
  }

  addLabel(l: MaturedLabel): void {
    if (this.labels.length < this.maxBuffered) this.labels.push(l);
  }

  /** Writes what arrived since the last flush (called by the leader's tick). */
  async flush(): Promise<void> {
    const batch = this.buffer.splice(0, this.buffer.length);
    for (let i = 0; i < batch.length; i += 1000) {
      const chunk = batch.slice(i, i + 1000);
      const amount = (e: DecisionMadeEvent): number | null => {
        const v = e.payload.features['rt_log_amount'];
        return v === undefined ? null : Math.expm1(v);
      };
      await this.pool.query(
        `INSERT INTO "RolloutDecision" ("rolloutId","checkoutId","arm","action","region","amount")
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[])
         ON CONFLICT ("rolloutId","checkoutId") DO NOTHING`,
        [chunk.map((b) => b.rolloutId), chunk.map((b) => b.e.payload.checkoutId), chunk.map((b) => b.e.payload.arm), chunk.map((b) => b.e.payload.action), chunk.map((b) => b.e.region), chunk.map((b) => amount(b.e))],
      );
    }
    const labels = this.labels.splice(0, this.labels.length);
    for (let i = 0; i < labels.length; i += 1000) {
      const chunk = labels.slice(i, i + 1000);
      await this.pool.query(
        `UPDATE "RolloutDecision" d SET "label" = l.label, "labelledAt" = now(), "updatedAt" = now()
         FROM unnest($1::text[], $2::text[]) AS l("checkoutId", label) WHERE d."checkoutId" = l."checkoutId"`,
        [chunk.map((l) => l.checkoutId), chunk.map((l) => l.label)],
      );
    }
  }

  async load(rolloutId: string): Promise<{ decisions: CanaryDecisionRecord[]; labels: MaturedLabel[] }> {
    const { rows } = await this.pool.query<{ checkoutId: string; arm: 'production' | 'canary'; action: string; region: string; amount: number | null; label: 'fraud' | 'legitimate' | null }>(
      `SELECT "checkoutId","arm","action","region","amount","label" FROM "RolloutDecision" WHERE "rolloutId" = $1`,
      [rolloutId],
    );
    return {
      decisions: rows.map((r) => ({ checkoutId: r.checkoutId, arm: r.arm, action: r.action, region: r.region, ...(r.amount === null ? {} : { amount: r.amount }) })),
      labels: rows.filter((r) => r.label).map((r) => ({ checkoutId: r.checkoutId, label: r.label as 'fraud' | 'legitimate' })),
    };
  }
}
