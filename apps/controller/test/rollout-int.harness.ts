import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { linearMlBundle } from '@risk/decision';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { RegistryClient, type RegisterVersionInput } from '@risk/registry-client';

export const ROOT = resolve(__dirname, '../../..');
/** The spec hands over its environment (only specs and config modules read process.env). */
let baseEnv: Record<string, string | undefined> = {};
export let DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
export function useEnvironment(env: Record<string, string | undefined>): void {
  baseEnv = env;
  DATABASE_URL = env['DATABASE_URL'] ?? DATABASE_URL;
}

/** Tokens seeded into the registry under test (REGISTRY_TOKENS), one per person/service. */
export const TOKENS = {
  rita: `it-rm-rita-${randomBytes(6).toString('hex')}`,
  mia: `it-mle-mia-${randomBytes(6).toString('hex')}`,
  victor: `it-viewer-victor-${randomBytes(6).toString('hex')}`,
  scorer: `it-svc-scorer-${randomBytes(6).toString('hex')}`,
  controller: `it-svc-controller-${randomBytes(6).toString('hex')}`,
  trainer: `it-svc-trainer-${randomBytes(6).toString('hex')}`,
};
const REGISTRY_TOKENS = `rita:release-manager:${TOKENS.rita},mia:ml-engineer:${TOKENS.mia},victor:viewer:${TOKENS.victor},scorer:scorer:${TOKENS.scorer},controller:controller:${TOKENS.controller},trainer:trainer:${TOKENS.trainer}`;

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** A child process of ours (a real app started exactly like `npm run start:*`), with its output kept for failures. */
export class AppProcess {
  private output = '';
  readonly child: ChildProcess;
  private exited: Promise<void>;

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    readonly url: string,
  ) {
    this.child = spawn(process.execPath, ['-r', './tools/node/register.js', entry], { cwd: ROOT, env: { PATH: baseEnv['PATH'] ?? '/usr/bin:/bin', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer): void => {
      this.output = (this.output + b.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((r) => this.child.once('exit', () => r()));
  }

  get log(): string {
    return this.output;
  }

  async ready(path: string, timeoutMs = 60_000): Promise<this> {
    await waitFor(`${this.name} ${path}`, async () => {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited ${this.child.exitCode}: ${this.output.slice(-2000)}`);
      const r = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(1000) });
      return r.ok;
    }, timeoutMs, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n--- ${this.name} output ---\n${this.output.slice(-3000)}`);
    });
    return this;
  }

  /** SIGKILL: no shutdown hooks, no lock release, no flush — a crash. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** A Redis server of our own on a free port: the scorer's decision log prefix is fixed, so tests isolate by instance. */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ctl-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('redis', async () => {
    const { default: Redis } = await import('ioredis');
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } finally {
      r.disconnect();
    }
  }, 10_000);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRegistry(schema: string): Promise<{ proc: AppProcess; artifactDir: string }> {
  const port = await freePort();
  const artifactDir = mkdtempSync(join(tmpdir(), 'ctl-reg-art-'));
  const proc = new AppProcess('registry', 'apps/registry/src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL,
    DB_SCHEMA: schema,
    ARTIFACT_DIR: artifactDir,
    REGISTRY_TOKENS,
    OUTBOX_ENABLED: 'false',
    EVENT_LOG: 'none',
    LOG_LEVEL: 'warn',
  }, `http://127.0.0.1:${port}`);
  await proc.ready('/health');
  return { proc, artifactDir };
}

/**
 * The default scorer policy without per-instance velocity limits (replayed simulator traffic is far faster than
 * real time) and without the live decline/step-up caps: those cap both arms together, so they would hide a bad
 * canary's extra declines from the decline guardrail (see the controller README).
 */
export function writeTestPolicy(dir: string): string {
  const policy = JSON.parse(readFileSync(join(ROOT, 'apps/scorer/config/policy.json'), 'utf8')) as { guardrails: Record<string, unknown> };
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify({ ...policy, velocity: [], guardrails: { ...policy.guardrails, maxDeclineRate: 1, maxStepUpRate: 1 } }));
  return file;
}

export const SIM_TOKEN_KEY = 'simulator-token-key-not-a-secret';

export async function startScorer(o: { region: string; redisUrl: string; registryUrl: string; workDir: string }): Promise<AppProcess> {
  const port = await freePort();
  const proc = new AppProcess('scorer', 'apps/scorer/src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    REGION: o.region,
    LOG_LEVEL: 'warn',
    REDIS_URL: o.redisUrl,
    EVENT_LOG_REDIS_URL: o.redisUrl,
    DECISION_LOG: 'redis',
    REGISTRY_URL: o.registryUrl,
    REGISTRY_TOKEN: TOKENS.scorer,
    MODEL_REFRESH_MS: '200',
    REGISTRY_TIMEOUT_MS: '5000',
    MODEL_CACHE_DIR: join(o.workDir, 'lkg'),
    POLICY_FILE: writeTestPolicy(o.workDir),
    TOKEN_KEYS: `sim=${SIM_TOKEN_KEY}`,
    // A shared 2-core CI box under heavy load stalls for tens of ms: with production budgets most decisions would
    // take the degraded path (fallback model for both arms) and the canary would never be scored by its model.
    REDIS_COMMAND_TIMEOUT_MS: '500',
    FEATURES_DEADLINE_MS: '500',
    FEATURES_TARGET_MS: '250',
    TOTAL_BUDGET_MS: '1000',
    BREAKER_FAILURES: '100000',
  }, `http://127.0.0.1:${port}`);
  return proc.ready('/health/ready');
}

export async function startController(o: { schema: string; registryUrl: string; redisUrl: string; region: string; port?: number; consumer?: string }): Promise<AppProcess> {
  const port = o.port ?? (await freePort());
  const proc = new AppProcess('controller', 'apps/controller/src/main.ts', {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL,
    DB_SCHEMA: o.schema,
    REGISTRY_URL: o.registryUrl,
    REGISTRY_TOKEN: TOKENS.controller,
    REDIS_URL: o.redisUrl,
    EVENT_LOG_REGIONS: o.region,
    CONSUMER_NAME: o.consumer ?? 'controller-0',
    CLAIM_IDLE_MS: '1000',
    TICK_MS: '250',
    AUTH_CACHE_MS: '60000',
  }, `http://127.0.0.1:${port}`);
  return proc.ready('/health');
}

const LINEAGE = {
  trainingJobId: 'it-job',
  dataWindowStart: '2026-10-01T00:00:00Z',
  dataWindowEnd: '2026-11-01T00:00:00Z',
  featureSetName: 'checkout',
  featureSetVersion: '1',
  codeCommit: 'it00000',
};

/** Registers (as the trainer) a logistic @risk/ml bundle over the checkout feature set. */
export async function registerModel(registryUrl: string, model: string, label: string, weights: Record<string, number>, bias: number): Promise<string> {
  const trainer = new RegistryClient({ baseUrl: registryUrl, token: TOKENS.trainer });
  await trainer.ensureModel(model, 'integration test model');
  const { bytes } = linearMlBundle({ featureSet: checkoutFeatureSet, featureNames: checkoutFeatureSet.featureNames, weights, bias, tag: label });
  const input: RegisterVersionInput = { metrics: { summary: { auc: 0.9 } }, lineage: LINEAGE, policyVersion: 'policy-it', description: label };
  return (await trainer.registerVersion(model, input, bytes)).id;
}

/** Puts a version straight into production in a region: requested by the ML engineer, approved and executed by the release manager. */
export async function promoteToProduction(registryUrl: string, versionId: string, region: string): Promise<void> {
  const mia = new RegistryClient({ baseUrl: registryUrl, token: TOKENS.mia });
  const rita = new RegistryClient({ baseUrl: registryUrl, token: TOKENS.rita });
  const req = await mia.requestPromotion(versionId, { region, targetStage: 'production', reason: 'initial production model' });
  await rita.approve(req.id, 'ok');
  await rita.executePromotion(req.id);
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

export const API = (url: string, token: string) => async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
};
