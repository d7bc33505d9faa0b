import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMER_GROUPS, TOPICS } from '@risk/contract-events';
import { createEventLog, type EventLog } from '@risk/event-log';
import { PEAK_MODEL, REGISTRY_TOKENS, publishModel } from './registry-models';
import { AppProcess, OwnedPostgres, OwnedRedis, ROOT, cpuSeconds, freePort, httpOk, rssMb } from './processes';
import type { ProcessMemory } from './peak.types';

export const TOKEN_KEYS = 'peak=peak-tokenisation-key-0123456789abcdef';

export interface StackOptions {
  scorerEnv?: Record<string, string>;
  log?: (line: string) => void;
}

/**
 * The whole local stack on test-owned ports: features Redis, event-log Redis (AOF, survives SIGKILL), PostgreSQL,
 * apps/registry (a model registered and promoted through its API), apps/feature-service and apps/scorer as child
 * processes.
 */
export class PeakStack {
  featuresRedis!: OwnedRedis;
  eventRedis!: OwnedRedis;
  postgres!: OwnedPostgres;
  registry!: AppProcess;
  artifactDir = '';
  /** Registry version id of the production model (what decisions report as modelVersion). */
  modelVersion = '';
  featureService!: AppProcess;
  scorer!: AppProcess;
  scorerUrl = '';
  registryUrl = '';
  private monitorLog: EventLog | null = null;

  constructor(private readonly o: StackOptions) {}

  private say(s: string): void {
    this.o.log?.(s);
  }

  async start(): Promise<void> {
    this.featuresRedis = new OwnedRedis(await freePort());
    this.eventRedis = new OwnedRedis(await freePort(), true);
    await Promise.all([this.featuresRedis.start(), this.eventRedis.start()]);
    this.say(`redis: features :${this.featuresRedis.port}, event log :${this.eventRedis.port} (AOF)`);

    this.postgres = new OwnedPostgres(await freePort());
    await this.postgres.init();
    const port = await freePort();
    this.registryUrl = `http://127.0.0.1:${port}`;
    this.artifactDir = join(this.postgres.dir, 'artifacts');
    this.registry = new AppProcess(
      'registry',
      'apps/registry/src/main.ts',
      { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: this.postgres.url, REGISTRY_SEED_DEMO: 'true', EVENT_LOG: 'none', ARTIFACT_DIR: this.artifactDir, DB_POOL_MAX: '2' },
      `${this.registryUrl}/health`,
    );
    const ms = await this.registry.start(120_000);
    this.modelVersion = await publishModel(this.registryUrl, this.artifactDir, 'peak-1');
    this.say(`registry on :${port} (PostgreSQL :${this.postgres.port}) ready in ${ms} ms; model ${this.modelVersion} promoted to production in eu`);

    const fsPort = await freePort();
    this.featureService = new AppProcess(
      'feature-service',
      'apps/feature-service/src/main.ts',
      { PORT: String(fsPort), HOST: '127.0.0.1', REGION: 'eu', REDIS_URL: this.featuresRedis.url, EVENT_LOG_REDIS_URL: this.eventRedis.url, CONSUMER_NAME: 'peak-fs-0', CONSUMER_CLAIM_IDLE_MS: '5000' },
      `http://127.0.0.1:${fsPort}/health/live`,
    );
    // The load pool replays each simulated card many times a second: per-card velocity rules would turn most
    // requests into triage declines and skip the feature/model path we want to load, so they are off here.
    const policy = JSON.parse(readFileSync(join(ROOT, 'apps/scorer/config/policy.json'), 'utf8')) as Record<string, unknown>;
    const policyFile = join(this.eventRedis.dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ ...policy, velocity: [] }));
    const scPort = await freePort();
    this.scorerUrl = `http://127.0.0.1:${scPort}`;
    this.scorer = new AppProcess(
      'scorer',
      'apps/scorer/src/main.ts',
      {
        PORT: String(scPort),
        HOST: '127.0.0.1',
        REGION: 'eu',
        REDIS_URL: this.featuresRedis.url,
        EVENT_LOG_REDIS_URL: this.eventRedis.url,
        REGISTRY_URL: this.registryUrl,
        REGISTRY_TOKEN: REGISTRY_TOKENS.scorer,
        MODEL_NAME: PEAK_MODEL,
        MODEL_REFRESH_MS: '1000',
        MODEL_CACHE_DIR: `${this.eventRedis.dir}/lkg`,
        TOKEN_KEYS,
        POLICY_FILE: policyFile,
        ...this.o.scorerEnv,
      },
      `${this.scorerUrl}/health/ready`,
    );
    const [fsMs, scMs] = await Promise.all([this.featureService.start(), this.scorer.start()]);
    this.say(`feature-service ready in ${fsMs} ms, scorer ready in ${scMs} ms (${this.scorerUrl})`);
    this.monitorLog = await createEventLog({ backend: 'redis', redisUrl: this.eventRedis.url, region: 'eu', clientId: 'peak-monitor' });
  }

  /** Messages of the feature service's consumer group not yet delivered or not yet acknowledged; null if unreachable. */
  async eventLag(): Promise<{ lag: number; pending: number } | null> {
    if (!this.monitorLog) return null;
    try {
      const parts = await Promise.race([
        this.monitorLog.lag(CONSUMER_GROUPS.featureService, [TOPICS.checkoutEvents, TOPICS.labels]),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 500)),
      ]);
      // No partition at all means the log could not be read (e.g. its Redis is down), not "no lag".
      if (parts.length === 0) return null;
      return { lag: parts.reduce((s, p) => s + p.lag, 0), pending: parts.reduce((s, p) => s + p.pending, 0) };
    } catch {
      return null;
    }
  }

  async scorerHealth(): Promise<Record<string, unknown> | null> {
    try {
      const res = await fetch(`${this.scorerUrl}/health/ready`, { signal: AbortSignal.timeout(500) });
      return (await res.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** Decisions the scorer has made since it started (its own `scorer_decisions_total`); null if unreachable. */
  async scorerDecisions(): Promise<number | null> {
    try {
      const text = await (await fetch(`${this.scorerUrl}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
      let n = 0;
      for (const m of text.matchAll(/^scorer_decisions_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm)) n += Number(m[1]);
      return n;
    } catch {
      return null;
    }
  }

  async registryUp(): Promise<boolean> {
    if (!this.registryUrl) return false;
    return httpOk(`${this.registryUrl}/health`, 1000).catch(() => false);
  }

  memory(extra: Array<{ name: string; pid: number | undefined }> = []): ProcessMemory[] {
    const procs = [
      { name: 'scorer', pid: this.scorer?.pid },
      { name: 'feature-service', pid: this.featureService?.pid },
      { name: 'registry', pid: this.registry?.pid },
      { name: 'redis-features', pid: this.featuresRedis?.pid },
      { name: 'redis-eventlog', pid: this.eventRedis?.pid },
      ...extra,
    ];
    return procs.filter((p) => p.pid).map((p) => ({ name: p.name, pid: p.pid as number, rssMb: rssMb(p.pid), cpuS: cpuSeconds(p.pid) }));
  }

  async stop(): Promise<void> {
    await this.monitorLog?.close({ timeoutMs: 1000 }).catch(() => undefined);
    this.monitorLog = null;
    await Promise.allSettled([this.scorer?.stop(), this.featureService?.stop(), this.registry?.stop()]);
    await Promise.allSettled([this.featuresRedis?.stop(), this.eventRedis?.stop(), this.postgres?.destroy()]);
  }
}
