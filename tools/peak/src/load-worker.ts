/**
 * One open-model load-generator process (spawned by bench:peak / chaos; one Node process tops out near 10k rps,
 * so the orchestrator runs several). Config comes as JSON in argv[2]; per-second stats go to the parent over IPC.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Decision, ScoringRequest } from '@risk/contract-events';
import { ScorerClient } from '@risk/scorer-client';
import { scoringRequests } from '@risk/simulators';
import { arrivalsUntil, emptySecond } from './lib/peak-report';
import type { LoadWorkerConfig, SecondStats } from './lib/peak.types';

const cfg = JSON.parse(process.argv[2] ?? '{}') as LoadWorkerConfig;
const send = (m: unknown): void => void process.send?.(m);

// Marketplace-simulator traffic: a pool of real request shapes, re-sent with unique checkout ids.
const pool: ScoringRequest[] = [];
for (const s of scoringRequests({ seed: cfg.seed, shoppers: 2_000, merchants: 500, days: 1 })) {
  pool.push(s.request);
  if (pool.length >= 3_000) break;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const client =
  cfg.mode === 'client'
    ? new ScorerClient({
        baseUrl: cfg.url,
        budgetMs: cfg.budgetMs - 10,
        hedgeAfterMs: cfg.hedgeAfterMs ?? 25,
        maxAttempts: cfg.maxAttempts ?? 2,
        failOpen: { action: 'allow', highAmount: { above: 1_000, action: 'review' }, policyVersion: 'peak-fail-open' },
      })
    : null;

const seconds = new Map<number, SecondStats>();
const bucket = (sec: number): SecondStats => {
  let s = seconds.get(sec);
  if (!s) seconds.set(sec, (s = emptySecond(sec)));
  return s;
};

function record(sec: number, latency: number, d: Decision | null, failOpen: boolean): void {
  const s = bucket(sec);
  if (!d) return;
  s.answered++;
  s.latencies.push(Math.round(latency * 100) / 100);
  if (latency <= cfg.budgetMs) s.withinBudget++;
  if (failOpen) s.failOpen++;
  if (d.degraded.length) {
    s.degraded++;
    for (const e of d.degraded) {
      const k = `${e.stage}:${e.reason}`;
      s.degradedBy[k] = (s.degradedBy[k] ?? 0) + 1;
    }
  }
  const v = d.modelVersion ?? 'none';
  s.modelVersions[v] = (s.modelVersions[v] ?? 0) + 1;
}

function rawPost(body: string, sec: number, scheduled: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      fn();
      resolve();
    };
    const req = request(`${cfg.url}/v1/decisions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        finish(() => {
          const latency = performance.now() - scheduled;
          const code = res.statusCode ?? 0;
          if (code >= 500) bucket(sec).status5xx++;
          else if (code >= 400) bucket(sec).status4xx++;
          else record(sec, latency, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Decision, false);
        }),
      );
      res.on('error', () => finish(() => void bucket(sec).connErrors++));
    });
    const timer = setTimeout(() => {
      finish(() => void bucket(sec).timeouts++);
      req.destroy();
    }, cfg.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', () => finish(() => void bucket(sec).connErrors++));
    req.end(body);
  });
}

/** Checkout ids the scorer itself answered (client mode): the decision log must hold each of them once. */
const scorerAnswered: string[] = [];
/** Client mode: answers for which the client had sent a second (hedged or retried) request. */
let multiAttempt = 0;

async function clientPost(r: ScoringRequest, sec: number, scheduled: number): Promise<void> {
  try {
    const d = await (client as ScorerClient).decide(r);
    record(sec, performance.now() - scheduled, d, d.source === 'fail_open');
    if (d.source === 'scorer' && scorerAnswered.length < 50_000) scorerAnswered.push(r.checkoutId);
    if (d.attempts > 1) multiAttempt++;
  } catch {
    bucket(sec).status4xx++;
  }
}

async function main(): Promise<void> {
  // Second 0 is set by the parent once every generator has built its pool (no start-up burst).
  send({ type: 'ready' });
  cfg.t0 = await new Promise<number>((resolve) => process.once('message', (m: { t0: number }) => resolve(m.t0)));
  const last = cfg.schedule[cfg.schedule.length - 1]?.[0] ?? 0;
  const perfT0 = performance.now() - (Date.now() - cfg.t0);
  let issued = 0;
  let inFlight = 0;
  let n = 0;
  let flushed = -1;
  const flushUpTo = (sec: number): void => {
    for (const [k, s] of seconds) {
      if (k > sec) continue;
      send({ type: 'second', stats: s });
      seconds.delete(k);
    }
    flushed = sec;
  };
  // Bounded: ends at the schedule's end (plus the answer timeout), whatever happens.
  for (;;) {
    const now = performance.now();
    const t = (now - perfT0) / 1000;
    if (t > last) break;
    if (t >= 0) {
      const due = Math.floor(arrivalsUntil(cfg.schedule, t) * cfg.share);
      const count = due - issued;
      for (let i = 0; i < count; i++) {
        // Spread the tick's arrivals over the tick so latency is measured from when each request was due.
        const scheduled = now - ((count - 1 - i) / Math.max(1, count)) * 2;
        const sec = Math.floor((scheduled - perfT0) / 1000);
        const b = bucket(sec);
        b.offered++;
        issued++;
        if (inFlight >= cfg.maxInFlight) {
          b.overflow++;
          continue;
        }
        b.sent++;
        inFlight++;
        const base = pool[n++ % pool.length] as ScoringRequest;
        const r: ScoringRequest = { ...base, checkoutId: `${cfg.idPrefix}${n}` };
        const p = client ? clientPost(r, sec, scheduled) : rawPost(JSON.stringify(r), sec, scheduled);
        void p.finally(() => void inFlight--);
      }
      const whole = Math.floor(t) - 2;
      if (whole > flushed) flushUpTo(whole);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const deadline = performance.now() + cfg.timeoutMs + 500;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  flushUpTo(Number.MAX_SAFE_INTEGER);
  send({ type: 'done', issued, inFlight, scorerAnswered, multiAttempt });
  agent.destroy();
  setTimeout(() => process.exit(0), 50);
}

void main();
