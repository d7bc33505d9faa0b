import { Client } from 'pg';
import type { Logger } from '@risk/util-logging';

/**
 * Leadership by a session-level PostgreSQL advisory lock on a dedicated connection: exactly one replica holds it;
 * if that replica dies its session ends and the lock frees at once, so another replica takes over on its next try.
 */
export class LeaderLock {
  private client: Client | null = null;
  private held = false;

  constructor(
    private readonly o: { databaseUrl: string; name: string },
    private readonly logger: Logger,
  ) {}

  get isLeader(): boolean {
    return this.held;
  }

  /** Tries to become (or checks it still is) leader. Never throws. */
  async tryAcquire(): Promise<boolean> {
    try {
      if (!this.client) {
        const c = new Client({ connectionString: this.o.databaseUrl, application_name: 'rollout-controller-leader' });
        c.on('error', (err) => {
          this.logger.warn({ err: err.message }, 'leader connection lost');
          this.drop();
        });
        await c.connect();
        this.client = c;
      }
      if (this.held) {
        await this.client.query('SELECT 1');
        return true;
      }
      const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.o.name]);
      this.held = rows[0]?.ok === true;
      if (this.held) this.logger.info({ lock: this.o.name }, 'became leader');
      return this.held;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'leader check failed');
      this.drop();
      return false;
    }
  }

  private drop(): void {
    this.held = false;
    const c = this.client;
    this.client = null;
    void c?.end().catch(() => undefined);
  }

  async release(): Promise<void> {
    if (this.client && this.held) await this.client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.o.name]).catch(() => undefined);
    this.held = false;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
