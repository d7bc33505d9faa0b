import type { Pool } from 'pg';
import { TERMINAL_STATUSES, type Rollout, type RolloutEventRecord, type RolloutRepository } from '@risk/rollout';

interface Row {
  state: Rollout;
  rowVersion: number;
}

/** Rollouts in PostgreSQL: one JSONB document per rollout plus the columns queries filter on; optimistic writes. */
export class PgRolloutRepository implements RolloutRepository {
  constructor(private readonly pool: Pool) {}

  private static hydrate(row: Row): Rollout {
    return { ...row.state, rowVersion: row.rowVersion };
  }

  async insert(r: Rollout, event: RolloutEventRecord): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO "Rollout" ("id","model","versionId","subjectKind","regions","status","stepIndex","stepStartedAt","state","rowVersion","createdBy","createdAt","updatedAt")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,0,$10,$11,$11)`,
        [r.id, r.subject.model, r.subject.versionId, r.subject.kind, r.regions, r.status, r.stepIndex, r.stepStartedAt, JSON.stringify(r), r.createdBy, r.createdAt],
      );
      await c.query(`INSERT INTO "RolloutEvent" ("rolloutId","type","actor","details") VALUES ($1,$2,$3,$4)`, [event.rolloutId, event.type, event.actor, JSON.stringify(event.details)]);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async get(id: string): Promise<Rollout | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const { rows } = await this.pool.query<Row>(`SELECT "state", "rowVersion" FROM "Rollout" WHERE "id" = $1`, [id]);
    return rows[0] ? PgRolloutRepository.hydrate(rows[0]) : null;
  }

  async list(filter: { active?: boolean } = {}): Promise<Rollout[]> {
    const terminal = [...TERMINAL_STATUSES];
    const where = filter.active === undefined ? '' : filter.active ? `WHERE NOT ("status" = ANY($1))` : `WHERE "status" = ANY($1)`;
    const { rows } = await this.pool.query<Row>(`SELECT "state", "rowVersion" FROM "Rollout" ${where} ORDER BY "createdAt" DESC LIMIT 200`, filter.active === undefined ? [] : [terminal]);
    return rows.map(PgRolloutRepository.hydrate);
  }

  async update(r: Rollout, event?: RolloutEventRecord): Promise<Rollout | null> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const next: Rollout = { ...r, rowVersion: r.rowVersion + 1 };
      const res = await c.query(
        `UPDATE "Rollout" SET "status"=$3, "stepIndex"=$4, "stepStartedAt"=$5, "state"=$6, "rowVersion"="rowVersion"+1, "updatedAt"=now()
         WHERE "id"=$1 AND "rowVersion"=$2`,
        [r.id, r.rowVersion, r.status, r.stepIndex, r.stepStartedAt, JSON.stringify(next)],
      );
      if (res.rowCount !== 1) {
        await c.query('ROLLBACK');
        return null;
      }
      if (event) await c.query(`INSERT INTO "RolloutEvent" ("rolloutId","type","actor","details") VALUES ($1,$2,$3,$4)`, [event.rolloutId, event.type, event.actor, JSON.stringify(event.details)]);
      await c.query('COMMIT');
      return next;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async events(rolloutId: string) {
    const { rows } = await this.pool.query<{ seq: number; rolloutId: string; type: string; actor: string; details: Record<string, unknown>; createdAt: Date }>(
      `SELECT "seq","rolloutId","type","actor","details","createdAt" FROM "RolloutEvent" WHERE "rolloutId"=$1 ORDER BY "seq"`,
      [rolloutId],
    );
    return rows.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
  }
}
