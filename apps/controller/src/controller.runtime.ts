import { join } from 'node:path';
import { Pool } from 'pg';
import { CONSUMER_GROUPS, TOPICS, type DecisionMadeEvent } from '@risk/contract-events';
import { createEventLog, type EventLog, type Subscription } from '@risk/event-log';
import { RegistryClient } from '@risk/registry-client';
import { runMigrations, quoteIdent } from '@risk/registry-data';
import { maturedLabelReport, RolloutService, type MaturedLabelReport, type RolloutAlert } from '@risk/rollout';
import type { Logger } from '@risk/util-logging';
import { DecisionRecorder } from './adapters/decision-recorder';
import { LeaderLock } from './adapters/leader-lock';
import { PgRolloutRepository } from './adapters/pg-rollout.repository';
import { RegistryRolloutAdapter } from './adapters/registry-rollout.adapter';
import { RegistryTokenVerifier } from './adapters/token-verifier';
import type { ControllerConfig } from './controller.config';
import { ControllerMetrics } from './controller.metrics';

export const MIGRATIONS_DIR = join(__dirname, '../../../prisma/migrations');

interface LoggedEvent {
  type?: string;
  payload?: { checkoutId?: string; label?: 'fraud' | 'legitimate' };
}

/**
 * Composition root: PostgreSQL (state, leader lock), the registry client, the event logs and the leader loop.
 * Every replica serves the API; only the leader consumes decisions and ticks.
 */
export class ControllerRuntime {
  readonly metrics = new ControllerMetrics();
  readonly pool: Pool;
  readonly service: RolloutService;
  readonly auth: RegistryTokenVerifier;
  readonly recorder: DecisionRecorder;
  private readonly registry: RegistryRolloutAdapter;
  private readonly lock: LeaderLock;
  private logs: EventLog[] = [];
  private alertLog: EventLog | null = null;
  private subs: Subscription[] = [];
  private stopped = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly config: ControllerConfig,
    private readonly logger: Logger,
  ) {
    const c = config;
    this.pool = new Pool({ connectionString: c.DATABASE_URL, max: c.DB_POOL_MAX, options: `-c search_path=${quoteIdent(c.DB_SCHEMA)}`, application_name: 'rollout-controller' });
    this.pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL client error'));
    this.registry = new RegistryRolloutAdapter(new RegistryClient({ baseUrl: c.REGISTRY_URL, token: c.REGISTRY_TOKEN, timeoutMs: c.REGISTRY_TIMEOUT_MS }));
    this.auth = new RegistryTokenVerifier({ registryUrl: c.REGISTRY_URL, cacheMs: c.AUTH_CACHE_MS, timeoutMs: c.REGISTRY_TIMEOUT_MS, operatorRoles: c.OPERATOR_ROLES });
    this.recorder = new DecisionRecorder(this.pool);
    this.lock = new LeaderLock({ databaseUrl: c.DATABASE_URL, name: `${c.LEADER_LOCK_NAME}:${c.DB_SCHEMA}` }, logger);
    this.service = new RolloutService({
      repo: new PgRolloutRepository(this.pool),
      registry: this.registry,
      alerts: { publish: (a) => this.publishAlert(a) },
      metrics: this.metrics,
      logger,
    });
  }

  get isLeader(): boolean {
    return this.lock.isLeader;
  }

  async start(): Promise<void> {
    const c = this.config;
    if (c.DB_MIGRATE_ON_BOOT) await runMigrations({ databaseUrl: c.DATABASE_URL, schema: c.DB_SCHEMA, migrationsDir: MIGRATIONS_DIR, logger: this.logger });
    const base = { backend: 'redis' as const, redisUrl: c.REDIS_URL, keyPrefix: c.EVENT_LOG_KEY_PREFIX, clientId: 'rollout-controller', publishMode: 'blocking' as const };
    this.alertLog = await createEventLog(base, { logger: this.logger });
    this.logs = await Promise.all(c.EVENT_LOG_REGIONS.map((region) => createEventLog({ ...base, region }, { logger: this.logger })));
    this.loopDone = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.once();
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.config.TICK_MS);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One leader iteration: keep (or take) the lock, tick every active rollout, flush recorded decisions. */
  async once(): Promise<void> {
    try {
      const leader = await this.lock.tryAcquire();
      this.metrics.leader.set(leader ? 1 : 0);
      if (!leader) {
        if (this.subs.length) await this.unsubscribe();
        return;
      }
      await this.service.tick();
      if (!this.subs.length) await this.subscribe();
      if (this.config.RECORD_DECISIONS) await this.recorder.flush();
      this.metrics.ticks.inc();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'controller loop iteration failed');
    }
  }

  private async subscribe(): Promise<void> {
    const handler = async (m: { value: LoggedEvent }): Promise<void> => this.onEvent(m.value);
    this.subs = await Promise.all(
      this.logs.map((log) =>
        log.subscribe<LoggedEvent>({
          group: CONSUMER_GROUPS.controller,
          consumer: this.config.CONSUMER_NAME,
          topics: [TOPICS.decisions, TOPICS.checkoutEvents, TOPICS.labels],
          handler,
          fromBeginning: false,
          blockMs: 200,
          batchSize: 500,
          claimIdleMs: this.config.CLAIM_IDLE_MS,
        }),
      ),
    );
    this.logger.info({ regions: this.config.EVENT_LOG_REGIONS }, 'consuming decisions');
  }

  private onEvent(v: LoggedEvent): void {
    const id = v.payload?.checkoutId;
    switch (v.type) {
      case 'decision.made': {
        this.metrics.decisions.inc();
        const e = v as DecisionMadeEvent;
        const took = this.service.ingestDecision(e);
        if (this.config.RECORD_DECISIONS) for (const rolloutId of took) this.recorder.add(rolloutId, e);
        break;
      }
      case 'payment.authorised':
        if (id) this.service.ingestAuthorisation(id, false);
        break;
      case 'payment.declined':
        if (id) this.service.ingestAuthorisation(id, true);
        break;
      case 'label.confirmed':
        if (id && v.payload?.label) this.recorder.addLabel({ checkoutId: id, label: v.payload.label });
        break;
    }
  }

  private async unsubscribe(): Promise<void> {
    const subs = this.subs;
    this.subs = [];
    await Promise.all(subs.map((s) => s.stop({ timeoutMs: 2000 }).catch(() => undefined)));
  }

  private async publishAlert(a: RolloutAlert): Promise<void> {
    await this.alertLog?.publish(TOPICS.alerts, a.name, a, { 'x-event-type': a.name });
  }

  /** Joins the rollout's canary-period decisions with the labels that matured since, and attaches the report. */
  async maturedReport(rolloutId: string, opts: { minLabelsPerArm?: number }): Promise<MaturedLabelReport> {
    const r = await this.service.get(rolloutId);
    await this.recorder.flush();
    const { decisions, labels } = await this.recorder.load(rolloutId);
    const report = maturedLabelReport(decisions, labels, opts);
    await this.registry.attachEvidence(r.subject.versionId, 'matured-label-report', { rolloutId, ...report });
    return report;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loopDone;
    await this.unsubscribe();
    await Promise.all(this.logs.map((l) => l.close({ timeoutMs: 2000 }).catch(() => undefined)));
    await this.alertLog?.close({ timeoutMs: 2000 }).catch(() => undefined);
    await this.lock.release();
    await this.pool.end();
  }
}
