import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createEventLog, type EventLog } from '@risk/event-log';
import { RegistryClient } from '@risk/registry-client';
import { ChildApp, FinalError, pickPort, sleep, waitFor } from './child-app';
import { DecisionStats, type StatsSnapshot } from './decision-stats';
import type { DemoOptions } from './demo.options';
import { renderSummary, type DemoSummary, type StepResult } from './demo.summary';
import { incumbentBundle } from './incumbent-model';
import { DEMO_REGION, TrafficGenerator, checkoutPool, publishHistory, type PublishedEvents } from './traffic';

const ROOT = resolve(__dirname, '../../../..');
const MODEL = 'checkout';
/** Seeded by the registry with REGISTRY_SEED_DEMO=true (DEMO_TOKENS in @risk/registry). */
const TOKENS = {
  rita: 'demo-release-manager-rita',
  rob: 'demo-release-manager-rob',
  mia: 'demo-ml-engineer-mia',
  victor: 'demo-viewer-victor',
  scorer: 'demo-service-scorer',
  controller: 'demo-service-controller',
  trainer: 'demo-service-trainer',
};
const TERMINAL = ['completed', 'rolled_back', 'aborted'];

interface RolloutView {
  id: string;
  status: string;
  stepIndex: number;
  outcome: string | null;
  awaiting: string | null;
  steps: { percent: number }[];
  lastAnalysis: { verdict: string; breaches: { guardrail: string; segment: string }[] } | null;
}

type Urls = Record<'registry' | 'featureService' | 'scorer' | 'trainer' | 'controller', string>;

class Interrupted extends Error {
  constructor() {
    super('interrupted (Ctrl-C)');
  }
}

/** Runs the whole platform for a demo: starts every app as a child process and walks the five steps of issue 10. */
export class DemoRunner {
  readonly runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  private readonly abortCtl = new AbortController();
  private readonly children: ChildApp[] = [];
  private readonly workDir: string;
  private readonly schema: string;
  private readonly databaseUrl: string;
  private readonly steps: StepResult[] = [];
  private readonly total = new DecisionStats();
  private phase = 'starting';
  private statusTimer: NodeJS.Timeout | null = null;
  private redis: ChildApp | null = null;
  private redisUrl = '';
  private urls: Partial<Urls> = {};
  private log: EventLog | null = null;
  private traffic: TrafficGenerator | null = null;
  private events: PublishedEvents | null = null;
  private steady: StatsSnapshot | null = null;
  private readonly steadyStats = new DecisionStats();
  private baselineId: string | null = null;
  private trained: DemoSummary['model']['trained'] = null;
  private stagesWalked: string[] = [];
  private peak: DemoSummary['peak'] = null;
  private fault: DemoSummary['fault'] = null;
  private readonly startedAt = new Date();
  private cleanedUp: Promise<void> | null = null;

  constructor(private readonly o: DemoOptions) {
    this.workDir = join(ROOT, 'tmp', 'demo', this.runId);
    this.schema = `demo_${this.runId}`;
    this.databaseUrl = o.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
  }

  get aborted(): boolean {
    return this.abortCtl.signal.aborted;
  }

  /** Ctrl-C: stop at the next await, then clean up. */
  interrupt(): void {
    this.abortCtl.abort();
  }

  private print(msg: string): void {
    if (this.o.tty) process.stdout.write('\r\x1b[2K');
    process.stdout.write(`${msg}\n`);
  }

  private check(): void {
    if (this.aborted) throw new Interrupted();
  }

  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      this.check();
      await sleep(Math.min(200, until - Date.now()));
    }
    this.check();
  }

  private async step(name: StepResult['name'], title: string, fn: () => Promise<string>): Promise<boolean> {
    this.phase = name;
    this.print(`▶ ${title}`);
    const t0 = Date.now();
    try {
      this.check();
      const detail = await fn();
      this.steps.push({ name, ok: true, durationMs: Date.now() - t0, detail });
      this.print(`  ✔ ${name}: ${detail}`);
      return true;
    } catch (err) {
      const interrupted = err instanceof Interrupted || this.aborted;
      const message = (err as Error).message;
      this.steps.push({ name, ok: false, durationMs: Date.now() - t0, detail: interrupted ? 'interrupted' : 'failed', error: message });
      this.print(`  ✘ ${name}: ${message}`);
      if (interrupted) throw new Interrupted();
      return false;
    }
  }

  // ---------------------------------------------------------------- processes

  private childEnv(extra: Record<string, string>): Record<string, string | undefined> {
    return { ...this.o.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...extra };
  }

  private startApp(name: string, entry: string, env: Record<string, string>): ChildApp {
    const app = new ChildApp({ name, command: process.execPath, args: ['-r', './tools/node/register.js', entry], cwd: ROOT, env: this.childEnv(env), logFile: join(this.workDir, 'logs', `${name}.log`) });
    this.children.push(app);
    return app;
  }

  private async exec(cmd: string, args: string[], timeoutMs: number): Promise<string> {
    return new Promise((res, rej) => {
      const child = spawn(cmd, args, { cwd: ROOT, env: this.o.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
      child.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
      const kill = (): void => void child.kill('SIGTERM');
      const timer = setTimeout(kill, timeoutMs);
      this.abortCtl.signal.addEventListener('abort', kill, { once: true });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.abortCtl.signal.removeEventListener('abort', kill);
        if (code === 0) res(out);
        else rej(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${out.slice(-800)}`));
      });
    });
  }

  private async startRedis(): Promise<void> {
    const port = await pickPort(0, true);
    const dir = join(this.workDir, 'redis');
    mkdirSync(dir, { recursive: true });
    this.redis = new ChildApp({ name: 'redis', command: 'redis-server', args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], cwd: ROOT, env: this.o.env, logFile: join(this.workDir, 'logs', 'redis.log') });
    this.redisUrl = `redis://127.0.0.1:${port}`;
    await waitFor('the demo Redis', async () => {
      if (!this.redis?.alive) throw new Error(`redis-server exited: ${this.redis?.tail(500)}`);
      const r = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    }, 10_000, 100, this.abortCtl.signal);
  }

  private writePolicy(): string {
    // Replayed simulator traffic is far faster than real time: per-instance velocity limits would fire on it.
    const policy = JSON.parse(readFileSync(join(ROOT, 'apps/scorer/config/policy.json'), 'utf8')) as { guardrails?: Record<string, unknown> };
    const file = join(this.workDir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ...policy, velocity: [], guardrails: { ...policy.guardrails, maxDeclineRate: 1, maxStepUpRate: 1 } }));
    return file;
  }

  // ---------------------------------------------------------------- steps

  private async stepServices(): Promise<string> {
    mkdirSync(join(this.workDir, 'logs'), { recursive: true });
    await this.exec('bash', ['tools/scripts/ensure-services.sh'], 60_000);
    await this.exec(process.execPath, ['-r', './tools/node/register.js', 'tools/cli/src/db-migrate.ts'], 120_000);
    // The demo gets a Redis of its own: the scorer's decision-log keys are fixed and the fault (CLIENT PAUSE) must
    // never touch the shared instance that tests use. PostgreSQL is shared, with a schema of its own.
    await this.startRedis();
    return `PostgreSQL up, migrations applied, demo Redis at ${this.redisUrl}, schema ${this.schema}`;
  }

  private simOptions() {
    const start = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    return { seed: 20261125, startDate: start, days: 2, checkoutsPerShopperPerDay: 1, shoppers: this.o.profile.shoppers, merchants: this.o.profile.merchants, tokenKey: this.tokenKey, tokenKeyId: 'demo' };
  }

  private readonly tokenKey = randomBytes(24).toString('base64url');

  private async stepApps(): Promise<string> {
    const free = this.o.freePorts;
    const [pReg, pFs, pSc, pTr, pCt] = await Promise.all([pickPort(3002, free), pickPort(3003, free), pickPort(3001, free), pickPort(3004, free), pickPort(3005, free)]);
    const u = (p: number) => `http://127.0.0.1:${p}`;
    this.urls = { registry: u(pReg), featureService: u(pFs), scorer: u(pSc), trainer: u(pTr), controller: u(pCt) };
    const registry = this.startApp('registry', 'apps/registry/src/main.ts', {
      PORT: String(pReg),
      DATABASE_URL: this.databaseUrl,
      DB_SCHEMA: this.schema,
      REGISTRY_SEED_DEMO: 'true',
      ARTIFACT_DIR: join(this.workDir, 'registry-artifacts'),
      EVENT_LOG: 'redis',
      REDIS_URL: this.redisUrl,
      OUTBOX_POLL_MS: '500',
    });
    const featureService = this.startApp('feature-service', 'apps/feature-service/src/main.ts', {
      PORT: String(pFs),
      REGION: DEMO_REGION,
      REDIS_URL: this.redisUrl,
      FEATURE_KEY_PREFIX: 'ofs',
      CONSUMER_NAME: 'demo-feature-service-0',
      CONSUMER_CLAIM_IDLE_MS: '2000',
    });
    const trainer = this.startApp('trainer', 'apps/trainer/src/main.ts', {
      PORT: String(pTr),
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: `demo-${this.runId}`,
      REGISTRY_URL: u(pReg),
      REGISTRY_TOKEN: TOKENS.trainer,
      REGISTRY_REGION: DEMO_REGION,
      ARTIFACT_DIR: join(this.workDir, 'models'),
    });
    await registry.waitHttp(`${u(pReg)}/health`, 90_000, this.abortCtl.signal);
    const scorer = this.startApp('scorer', 'apps/scorer/src/main.ts', {
      PORT: String(pSc),
      REGION: DEMO_REGION,
      REDIS_URL: this.redisUrl,
      EVENT_LOG_REDIS_URL: this.redisUrl,
      DECISION_LOG: 'redis',
      FEATURE_KEY_PREFIX: 'ofs',
      REGISTRY_URL: u(pReg),
      REGISTRY_TOKEN: TOKENS.scorer,
      MODEL_NAME: MODEL,
      MODEL_REFRESH_MS: '500',
      MODEL_CACHE_DIR: join(this.workDir, 'scorer-lkg'),
      POLICY_FILE: this.writePolicy(),
      TOKEN_KEYS: `demo=${this.tokenKey}`,
    });
    const controller = this.startApp('controller', 'apps/controller/src/main.ts', {
      PORT: String(pCt),
      DATABASE_URL: this.databaseUrl,
      DB_SCHEMA: this.schema,
      REGISTRY_URL: u(pReg),
      REGISTRY_TOKEN: TOKENS.controller,
      REDIS_URL: this.redisUrl,
      EVENT_LOG_REGIONS: DEMO_REGION,
      CONSUMER_NAME: 'demo-controller-0',
      CLAIM_IDLE_MS: '1000',
      TICK_MS: '250',
      AUTH_CACHE_MS: '60000',
    });
    const sig = this.abortCtl.signal;
    await Promise.all([
      featureService.waitHttp(`${u(pFs)}/health/ready`, 90_000, sig),
      scorer.waitHttp(`${u(pSc)}/health/ready`, 90_000, sig),
      trainer.waitHttp(`${u(pTr)}/health/ready`, 90_000, sig),
      controller.waitHttp(`${u(pCt)}/health`, 90_000, sig),
    ]);
    return `registry ${pReg}, feature-service ${pFs}, scorer ${pSc}, trainer ${pTr}, controller ${pCt} healthy`;
  }

  private registryAs(token: string): RegistryClient {
    return new RegistryClient({ baseUrl: this.urls.registry as string, token, timeoutMs: 10_000 });
  }

  private async stepBaseline(): Promise<string> {
    const mia = this.registryAs(TOKENS.mia);
    const rita = this.registryAs(TOKENS.rita);
    const rob = this.registryAs(TOKENS.rob);
    await mia.ensureModel(MODEL, 'Checkout risk model scored on the critical path');
    const { bytes, featureSet } = incumbentBundle();
    const lineage = { trainingJobId: 'legacy-rules', dataWindowStart: '2026-01-01T00:00:00Z', dataWindowEnd: '2026-10-01T00:00:00Z', featureSetName: featureSet.name, featureSetVersion: String(featureSet.version), codeCommit: 'legacy' };
    const v = await mia.registerVersion(MODEL, { metrics: { summary: {} }, lineage, policyVersion: 'policy-2026.11.1', description: 'incumbent: the legacy rules as a logistic model' }, bytes);
    this.baselineId = v.id;
    const req = await rita.requestPromotion(v.id, { region: DEMO_REGION, targetStage: 'production', reason: 'demo: incumbent before the first trained model' });
    await rob.approve(req.id, 'four eyes: approved by a second release manager');
    await rita.executePromotion(req.id);
    await waitFor('the scorer to load the incumbent', async () => {
      const h = (await (await fetch(`${this.urls.scorer}/health/ready`)).json()) as { model: { production: string | null } };
      return h.model.production === v.id;
    }, 30_000, 250, this.abortCtl.signal);
    return `incumbent v${v.version} (${v.id}) requested by rita, approved by rob, live in ${DEMO_REGION}`;
  }

  private async stepTraffic(): Promise<string> {
    const p = this.o.profile;
    this.log = await createEventLog({ backend: 'redis', redisUrl: this.redisUrl, region: DEMO_REGION, clientId: 'demo', publishMode: 'blocking' });
    const bar = this.o.tty ? new SingleBar({ format: '  publishing events |{bar}| {value}/{total}', hideCursor: true }, Presets.shades_classic) : null;
    bar?.start(p.maxEvents, 0);
    this.events = await publishHistory(this.log, this.simOptions(), p.maxEvents, (n) => bar?.update(n), this.abortCtl.signal);
    bar?.update(this.events.total);
    bar?.stop();
    this.check();
    const pool = checkoutPool(this.simOptions(), p.poolSize);
    if (pool.length === 0) throw new Error('the simulator produced no checkouts for the demo region');
    this.traffic = new TrafficGenerator({ scorerUrl: this.urls.scorer as string, pool, log: this.log, runId: this.runId, maxInFlight: 512, budgetMs: p.clientBudgetMs });
    this.traffic.attach(this.total);
    const warm = new DecisionStats();
    this.traffic.attach(warm);
    this.traffic.setRate(p.baseRps);
    this.startStatus();
    await this.pause(p.warmupMs);
    this.traffic.detach(warm);
    const w = warm.snapshot();
    // Steady-state latency is measured from here until the spike (cold JIT and the feature backlog are behind us).
    this.traffic.attach(this.steadyStats);
    if (w.total === 0) throw new Error('no decisions during warm-up');
    if (w.unanswered > 0) throw new Error(`${w.unanswered} requests unanswered during warm-up`);
    return `${this.events.total} events published (${this.events.labels} delayed labels), ${pool.length} checkouts cycled at ${p.baseRps} rps; warm-up: ${w.total} decisions, p99 ${w.p99Ms} ms (client) / ${w.scorerP99Ms} ms (scorer)`;
  }

  private async stepTraining(): Promise<string> {
    const t = this.o.profile.training;
    const quick = this.o.profile.mode === 'quick';
    const body = {
      jobKey: `demo-${this.runId}`,
      modelName: MODEL,
      modelType: 'gbdt',
      // The checkout feature set the scorer serves: vectors from the batch engine over simulated marketplace events,
      // labels under maturity; the source implies its train/evaluation windows and cut-off.
      dataSource: { source: 'marketplace-sim', seed: 9, shoppers: 3000, days: quick ? 21 : 28 },
      hyperparameters: { gbdt: { nTrees: t.nTrees, maxDepth: t.maxDepth } },
    };
    const res = await fetch(`${this.urls.trainer}/v1/training-jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    const created = (await res.json()) as { id?: string; error?: { message: string } };
    if (!res.ok || !created.id) throw new Error(`trainer answered ${res.status}: ${JSON.stringify(created).slice(0, 500)}`);
    const jobId = created.id;
    interface JobView {
      state: string;
      progress?: { phase?: string; percent?: number } | number | null;
      failedReason?: string | null;
      result: { model?: { versionId?: string; version?: string }; evaluation?: Record<string, unknown> } | null;
    }
    const bar = this.o.tty ? new SingleBar({ format: '  training job |{bar}| {percentage}% {phase}', hideCursor: true }, Presets.shades_classic) : null;
    bar?.start(100, 0, { phase: '' });
    let view: JobView;
    try {
      view = await waitFor('the training job', async () => {
        const v = (await (await fetch(`${this.urls.trainer}/v1/training-jobs/${jobId}`, { signal: AbortSignal.timeout(5000) })).json()) as JobView;
        const prog = typeof v.progress === 'object' && v.progress ? v.progress : null;
        bar?.update(Math.round(prog?.percent ?? 0), { phase: prog?.phase ?? v.state });
        if (v.state === 'failed' || v.state === 'cancelled') throw new FinalError(`training job ${v.state}: ${v.failedReason ?? ''}`);
        return v.state === 'completed' ? v : null;
      }, t.timeoutMs, 500, this.abortCtl.signal);
    } finally {
      bar?.stop();
    }
    const versionId = view.result?.model?.versionId;
    if (!versionId) throw new Error(`training job completed without a registered version: ${JSON.stringify(view.result?.model ?? null)}`);
    const ev = view.result?.evaluation ?? {};
    const metrics: Record<string, number> = {};
    for (const k of ['aucRoc', 'averagePrecision', 'cardPrecisionAt100', 'brier']) if (typeof ev[k] === 'number') metrics[k] = +(ev[k] as number).toFixed(4);
    this.trained = { versionId, jobId, metrics };
    const reg = await this.registryAs(TOKENS.victor).getVersion(versionId);
    return `job ${jobId} trained a GBDT and registered ${MODEL} v${reg.version} (${versionId}), ${Object.entries(metrics).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  }

  private async controllerApi<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.urls.controller}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  private async stepPromotion(): Promise<string> {
    const versionId = this.trained?.versionId;
    if (!versionId) throw new Error('no trained version to promote (the training step failed)');
    const r = this.o.profile.rollout;
    const started = await this.controllerApi<RolloutView>('POST', '/v1/rollouts', TOKENS.rita, {
      subject: { model: MODEL, versionId },
      regions: [DEMO_REGION],
      shadowMs: r.shadowMs,
      shadowGate: { minSamples: r.minSamples },
      steps: r.steps,
      guardrails: { minSamples: r.minSamples },
      reason: 'demo: first trained model',
    });
    if (started.status !== 201) throw new Error(`controller refused the rollout (${started.status}): ${JSON.stringify(started.body).slice(0, 500)}`);
    const id = started.body.id;
    const rob = this.registryAs(TOKENS.rob);
    const approved = new Set<string>();
    const stage = (v: RolloutView): string => (v.status === 'canary' ? `canary ${v.steps[v.stepIndex]?.percent ?? '?'}%` : v.status === 'awaiting_approval' ? `awaiting ${v.awaiting} approval` : v.status);
    let last = '';
    const view = await waitFor('the rollout to finish', async () => {
      // rob approves the promotion requests the controller files (a different release manager than rita).
      for (const p of await rob.listPromotionRequests({ model: MODEL, status: 'pending' }).catch(() => [])) {
        if (approved.has(p.id)) continue;
        await rob.approve(p.id, 'approved for the demo').catch(() => undefined);
        approved.add(p.id);
      }
      const v = (await this.controllerApi<RolloutView>('GET', `/v1/rollouts/${id}`, TOKENS.rita)).body;
      const s = stage(v);
      if (s !== last) {
        this.stagesWalked.push(s);
        last = s;
        this.phase = `promotion: ${s}`;
      }
      return TERMINAL.includes(v.status) ? v : null;
    }, r.timeoutMs, 300, this.abortCtl.signal).catch(async (err: Error) => {
      await this.controllerApi('POST', `/v1/rollouts/${id}/abort`, TOKENS.rita, { reason: 'demo: timed out' }).catch(() => undefined);
      const scorerLog = this.children.find((c) => c.name === 'scorer')?.log() ?? '';
      const loadErrors = scorerLog.split('\n').filter((l) => l.includes('model failed to load') && l.includes(versionId));
      throw new Error(`${err.message}; stages walked: ${this.stagesWalked.join(' → ')}${loadErrors.length ? `; the scorer could not load the candidate: ${loadErrors[0]?.slice(0, 400)}` : ''}`);
    });
    if (view.status !== 'completed') throw new Error(`rollout ${view.status}: ${view.outcome ?? ''} ${JSON.stringify(view.lastAnalysis?.breaches ?? [])}`);
    const dep = await rob.getRegionDeployment(MODEL, DEMO_REGION);
    if (dep.production?.versionId !== versionId) throw new Error(`rollout completed but production is ${dep.production?.versionId ?? 'none'}`);
    return `rita started rollout ${id}; rob approved ${approved.size} request(s); ${this.stagesWalked.join(' → ')}`;
  }

  private async stepPeakFault(): Promise<string> {
    const traffic = this.traffic;
    if (!traffic) throw new Error('no traffic (the traffic step failed)');
    const p = this.o.profile.peak;
    const base = this.o.profile.baseRps;
    const peakStats = new DecisionStats();
    const during = new DecisionStats();
    const after = new DecisionStats();
    traffic.detach(this.steadyStats);
    this.steady = this.steadyStats.snapshot();
    traffic.attach(peakStats);
    traffic.setRate(base * p.multiplier);
    this.phase = `peak ${p.multiplier}x`;
    await this.pause(p.faultAfterMs);
    // Fault: every client of the demo's Redis (the scorer's online-feature reads among them) stalls for faultMs.
    const admin = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
    traffic.attach(during);
    try {
      await admin.call('CLIENT', 'PAUSE', String(p.faultMs), 'ALL');
    } finally {
      admin.disconnect();
    }
    this.phase = `peak ${p.multiplier}x + FAULT (Redis paused)`;
    await this.pause(p.faultMs + 300);
    traffic.detach(during);
    this.phase = `peak ${p.multiplier}x, fault over`;
    await this.pause(Math.max(1000, p.durationMs - p.faultAfterMs - p.faultMs - 300));
    traffic.detach(peakStats);
    traffic.setRate(base);
    // Recovery is judged at the normal rate, once the spike's backlog has drained.
    this.phase = 'cool-down';
    await this.pause(1500);
    traffic.attach(after);
    await this.pause(3000);
    traffic.detach(after);
    const peak = peakStats.snapshot();
    const d = during.snapshot();
    const a = after.snapshot();
    this.peak = { multiplier: p.multiplier, rps: base * p.multiplier, durationMs: p.durationMs, stats: peak };
    const graceful = d.unanswered === 0 && d.degradedShare > 0;
    const recovered = a.degradedShare < Math.max(0.05, d.degradedShare / 4);
    const outcome = graceful
      ? `scorer kept answering (${d.total} decisions, none unanswered) and degraded ${(d.degradedShare * 100).toFixed(1)}% of them (${Object.keys(d.degradedByReason).join(', ')}); ${recovered ? `recovered: ${(a.degradedShare * 100).toFixed(1)}% degraded after` : 'NOT recovered afterwards'}`
      : `${d.unanswered} unanswered, degraded share ${d.degradedShare} during the fault`;
    this.fault = { kind: 'redis CLIENT PAUSE', target: `demo Redis ${this.redisUrl} (online features, event log)`, durationMs: p.faultMs, during: d, after: a, outcome };
    if (!graceful || !recovered || peak.unanswered > 0) throw new Error(outcome);
    return `${p.multiplier}x for ${p.durationMs / 1000} s: ${peak.total} decisions, p99 ${peak.p99Ms} ms (client) / ${peak.scorerP99Ms} ms (scorer); ${outcome}`;
  }

  // ---------------------------------------------------------------- status

  private startStatus(): void {
    const every = this.o.tty ? 500 : 5000;
    this.statusTimer = setInterval(() => {
      const s = this.total.snapshot();
      const actions = Object.entries(s.byAction).map(([a, n]) => `${a} ${n}`).join(' ');
      const model = this.traffic?.lastModelVersion;
      const line = `  [${this.phase}] ${s.total} decisions (${actions}) · degraded ${(s.degradedShare * 100).toFixed(1)}% · p99 ${s.p99Ms} ms (scorer ${s.scorerP99Ms}) · ${this.traffic?.currentRate ?? 0} rps · model ${model ? model.slice(0, 8) : 'none'} · unanswered ${s.unanswered}`;
      if (this.o.tty) process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns || 160) - 1)}`);
      else process.stdout.write(`${line}\n`);
    }, every);
  }

  // ---------------------------------------------------------------- run

  async run(): Promise<DemoSummary> {
    const t0 = Date.now();
    try {
      const infra = (await this.step('services', 'Ensuring PostgreSQL/Redis, applying migrations', () => this.stepServices())) && (await this.step('apps', 'Starting registry, feature service, scorer, trainer, controller', () => this.stepApps()));
      if (infra) {
        // Training runs before the incumbent is live: the trainer scores production's artifact on its own (handbook)
        // rows for comparison, and the incumbent is built for the checkout feature set.
        await this.step('training', 'Training a first model through the trainer API', () => this.stepTraining());
        await this.step('baseline', 'Putting the incumbent model in production (rita requests, rob approves)', () => this.stepBaseline());
        const traffic = await this.step('traffic', 'Simulating marketplace traffic (events with delayed labels, scoring requests)', () => this.stepTraffic());
        await this.step('promotion', 'Promoting it: shadow → canary steps → production under the controller', () => this.stepPromotion());
        if (traffic) await this.step('peak-fault', 'Peak spike with a fault injected', () => this.stepPeakFault());
        else this.steps.push({ name: 'peak-fault', ok: false, durationMs: 0, detail: 'skipped', error: 'no traffic' });
      }
    } catch (err) {
      if (!(err instanceof Interrupted)) throw err;
    }
    return this.summarise(Date.now() - t0);
  }

  private async summarise(durationMs: number): Promise<DemoSummary> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    await this.traffic?.stop();
    if (!this.steady && this.traffic) this.steady = this.steadyStats.snapshot();
    let production: DemoSummary['model']['production'] = null;
    if (this.urls.registry && !this.aborted) {
      const dep = await this.registryAs(TOKENS.victor).getRegionDeployment(MODEL, DEMO_REGION).catch(() => null);
      if (dep?.production) {
        const v = await this.registryAs(TOKENS.victor).getVersion(dep.production.versionId).catch(() => null);
        production = { versionId: dep.production.versionId, version: dep.production.version, description: (v as { description?: string | null } | null)?.description ?? null };
      }
    }
    const expected: StepResult['name'][] = ['services', 'apps', 'training', 'baseline', 'traffic', 'promotion', 'peak-fault'];
    const ok = !this.aborted && expected.every((n) => this.steps.some((s) => s.name === n && s.ok));
    const reg = this.urls.registry ?? 'http://127.0.0.1:3002';
    const summary: DemoSummary = {
      ok,
      mode: this.o.profile.mode,
      runId: this.runId,
      startedAt: this.startedAt.toISOString(),
      durationMs,
      interrupted: this.aborted,
      steps: this.steps,
      decisions: { ...this.total.snapshot(), notSent: this.traffic?.notSent ?? 0 },
      steady: this.steady,
      events: this.events ? { published: this.events.total, byType: this.events.byType, delayedLabels: this.events.labels } : null,
      model: { name: MODEL, production, baseline: this.baselineId ? { versionId: this.baselineId } : null, trained: this.trained, stagesWalked: this.stagesWalked },
      peak: this.peak,
      fault: this.fault,
      urls: {
        registryUi: `${reg}/ui`,
        registryDocs: `${reg}/docs`,
        scorerMetrics: `${this.urls.scorer ?? 'http://127.0.0.1:3001'}/metrics`,
        scorerDocs: `${this.urls.scorer ?? 'http://127.0.0.1:3001'}/docs`,
        featureServiceMetrics: `${this.urls.featureService ?? 'http://127.0.0.1:3003'}/metrics`,
        controllerMetrics: `${this.urls.controller ?? 'http://127.0.0.1:3005'}/metrics`,
        controllerRollouts: `${this.urls.controller ?? 'http://127.0.0.1:3005'}/v1/rollouts`,
      },
      tokens: { 'release-manager': TOKENS.rita, 'second release-manager': TOKENS.rob, 'ml-engineer': TOKENS.mia, viewer: TOKENS.victor },
      logs: join(this.workDir, 'logs'),
      processes: [...this.children, ...(this.redis ? [this.redis] : [])].filter((c) => c.pid !== undefined).map((c) => ({ name: c.name, pid: c.pid as number })),
    };
    mkdirSync(dirname(this.o.summaryPath), { recursive: true });
    writeFileSync(this.o.summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    this.print(renderSummary(summary));
    this.print(`Summary JSON: ${this.o.summaryPath}`);
    return summary;
  }

  /** Stops everything this run started (children, Redis) and drops its schema; idempotent. */
  cleanup(): Promise<void> {
    this.cleanedUp ??= (async () => {
      if (this.statusTimer) clearInterval(this.statusTimer);
      await this.traffic?.stop(1000);
      await Promise.allSettled([...this.children].reverse().map((c) => c.stop()));
      await this.log?.close({ timeoutMs: 1000 }).catch(() => undefined);
      await this.redis?.stop();
      const pg = new Client({ connectionString: this.databaseUrl });
      try {
        await pg.connect();
        await pg.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
      } catch {
        // Nothing was created (PostgreSQL was never reached).
      } finally {
        await pg.end().catch(() => undefined);
      }
    })();
    return this.cleanedUp;
  }

  /** Hard stop for a second Ctrl-C: SIGKILL every child now. */
  killAll(): void {
    for (const c of this.children) c.signal('SIGKILL');
    this.redis?.signal('SIGKILL');
  }
}
