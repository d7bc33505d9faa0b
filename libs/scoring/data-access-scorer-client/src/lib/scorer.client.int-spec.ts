import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exampleScoringRequest, parseDecision } from '@risk/contract-events';
import { ScorerClient, ScorerRejectedError } from './scorer.client';

const ROOT = join(__dirname, '../../../../..');
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
const client = (baseUrl: string, over: Partial<ConstructorParameters<typeof ScorerClient>[0]> = {}) =>
  new ScorerClient({ baseUrl, budgetMs: 150, hedgeAfterMs: 40, maxAttempts: 3, failOpen: { action: 'allow', highAmount: { above: 1000, action: 'review' } }, ...over });

describe('ScorerClient against a real scorer process', () => {
  let proc: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    proc = spawn(process.execPath, ['-r', './tools/node/register.js', 'apps/scorer/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DECISION_LOG: 'none', MODEL_CACHE_DIR: `tmp/scorer-client-test-${port}` },
      stdio: 'ignore',
    });
    for (let i = 0; i < 120; i++) {
      const up = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('scorer did not start');
  }, 60_000);
  afterAll(() => void proc?.kill('SIGTERM'));

  it('returns the scorer decision (started with no model registered: degraded, not failed)', async () => {
    const d = await client(url, { budgetMs: 2000, hedgeAfterMs: 1000 }).decide(exampleScoringRequest());
    expect(d.source).toBe('scorer');
    const { source: _s, attempts: _a, ...decision } = d;
    expect(parseDecision(decision).checkoutId).toBe('chk_01J9Z3Q8W4K7');
    expect(d.degraded.map((g) => g.reason)).toContain('model_missing');
  });

  it('surfaces a 4xx as ScorerRejectedError with the machine-readable code', async () => {
    const bad = { ...exampleScoringRequest(), amount: { value: -5, currency: 'EUR' } };
    await expect(client(url, { budgetMs: 2000, hedgeAfterMs: 1000 }).decide(bad)).rejects.toBeInstanceOf(ScorerRejectedError);
  });
});

describe('ScorerClient failure handling', () => {
  let slow: Server;
  let slowUrl: string;
  let hits = 0;

  beforeAll(async () => {
    // First request on each pair stalls; the hedge (second) answers at once with a valid decision.
    slow = createHttpServer((req, res) => {
      const n = ++hits;
      req.resume().on('end', () => {
        const body = JSON.stringify({
          schemaVersion: '1', requestId: '7d0b1f8e-2a4c-4e51-9d8a-0c3f5b6a7e21', checkoutId: 'chk_01J9Z3Q8W4K7', region: 'eu', action: 'allow', score: 0.01,
          reasonCodes: ['SCORE_LOW'], modelVersion: 'm', policyVersion: 'p', timings: { triageMs: 0, featuresMs: 0, modelMs: 0, policyMs: 0, totalMs: 1 }, degraded: [],
        });
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), n % 2 === 1 ? 2000 : 0);
      });
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
  });
  afterAll(() => {
    slow.closeAllConnections();
    slow.close();
  });

  it('hedges: a stalled first request is overtaken by the second one', async () => {
    const t0 = performance.now();
    const d = await client(slowUrl, { budgetMs: 500, hedgeAfterMs: 30 }).decide(exampleScoringRequest());
    expect(d.source).toBe('scorer');
    expect(d.attempts).toBe(2);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('fails open to the static policy when the scorer is unreachable (closed port), within the budget', async () => {
    const c = client(`http://127.0.0.1:${await freePort()}`);
    const t0 = performance.now();
    const d = await c.decide(exampleScoringRequest());
    expect(performance.now() - t0).toBeLessThan(400);
    expect(d).toMatchObject({ source: 'fail_open', action: 'allow', reasonCodes: ['SCORER_UNAVAILABLE', 'FAIL_OPEN_DEFAULT'] });
    expect(d.attempts).toBe(3);
    const big = await c.decide({ ...exampleScoringRequest(), amount: { value: 5000, currency: 'EUR' } });
    expect(big.action).toBe('review');
  });

  it('fails open when the scorer is too slow for the budget', async () => {
    hits = 0;
    const d = await client(slowUrl, { budgetMs: 60, hedgeAfterMs: 1000, maxAttempts: 1 }).decide(exampleScoringRequest());
    expect(d.source).toBe('fail_open');
    expect(d.timings.totalMs).toBeLessThan(200);
  });
});
