import fc from 'fast-check';
import { CONSUMER_GROUPS, exampleCheckoutStarted, exampleLabelConfirmed, TOKEN_PATTERN, TOPICS, type DecisionMadeEvent } from '@risk/contract-events';
import { createEventLog, dlqTopicOf, type DeadLetter, type EventLog } from '@risk/event-log';
import { auditOnlineTtls } from '@risk/retention';
import { tokenKeyId } from '@risk/util-privacy';
import { arbitraryJsonBody, leaksInternals, malformedBodies, send, type Probe, type RawRequest } from './testing/fuzz';
import { piiRequest, scanForNeedles, uniquePan, type Finding, type Needle, type Sink } from './testing/pii-needles';
import { sleep } from './testing/processes';
import { fileSinks, postgresSinks, redisSinks } from './testing/sinks';
import { newId, startSystem, type System } from './testing/system';

const N = 12;
/** What the test itself produced into the input topics (the checkout system's role): not "written by the system". */
const INPUT_STREAMS = [/^el:eu:\{risk\.(checkout-events|labels)\.v1:\d+\}$/];
const DLQ_STREAM = /risk\.[\w-]+\.v1\.dlq/;
const HELMET_HEADERS = ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-resource-policy', 'strict-transport-security'];
/**
 * Known gaps in other owners' code run as `it.failing` (green while the gap exists, red once fixed → drop it).
 * SECURITY_E2E_STRICT=1 runs them as plain tests, to see each gap's actual failure (or to check a fix).
 */
const knownGap = process.env['SECURITY_E2E_STRICT'] ? it : it.failing;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
}

describe('security e2e: a region-eu deployment (registry, scorer, feature service, trainer, controller as child processes; private Redis; PostgreSQL)', () => {
  let sys: System;
  let log: EventLog;
  const needles: Needle[] = [];
  const responses: Sink[] = [];
  const decisions: DecisionMadeEvent[] = [];
  const dead: DeadLetter[] = [];
  let findings: Finding[] = [];

  beforeAll(async () => {
    sys = await startSystem({ full: true });
    log = await createEventLog({ backend: 'redis', redisUrl: sys.redis.url, region: 'eu' });
  }, 120_000);

  afterAll(async () => {
    await log?.close({ timeoutMs: 2000 });
    await sys?.stop();
  });

  /** Every response of every probe must be a bounded, JSON, stack-free answer with helmet's headers. */
  function checkProbe(p: Probe, problems: string[]): void {
    const where = `${p.req.method} ${p.req.path.slice(0, 80)} [${p.req.label.slice(0, 60)}] → ${p.status}`;
    if (p.status >= 500) problems.push(`${where}: 5xx ${p.text.slice(0, 200)}`);
    for (const h of HELMET_HEADERS) if (!p.headers.get(h)) problems.push(`${where}: missing ${h}`);
    if (p.headers.get('x-powered-by')) problems.push(`${where}: x-powered-by present`);
    const leak = leaksInternals(p.text);
    if (leak) problems.push(`${where}: leaks ${leak}`);
    for (const v of Object.values(sys.secrets)) if (p.text.includes(v)) problems.push(`${where}: echoes a secret`);
    if (p.status >= 400) {
      let body: { error?: { code?: unknown; errorId?: unknown; stack?: unknown } } = {};
      try {
        body = JSON.parse(p.text) as typeof body;
      } catch {
        problems.push(`${where}: error body is not JSON: ${p.text.slice(0, 120)}`);
        return;
      }
      if (typeof body.error?.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(body.error.code)) problems.push(`${where}: no machine-readable code`);
      if (typeof body.error?.errorId !== 'string' || !UUID.test(body.error.errorId)) problems.push(`${where}: no errorId`);
      if (body.error?.stack !== undefined) problems.push(`${where}: stack field`);
    }
  }

  describe('PII minimisation and PAN refusal', () => {
    it('scores requests carrying raw identifiers; decisions never echo them', async () => {
      for (let i = 0; i < N; i++) {
        const { request, needles: n } = piiRequest(sys.runId, i);
        needles.push(...n);
        const res = await post(`${sys.apps.scorer.baseUrl}/v1/decisions`, JSON.stringify(request));
        responses.push({ sink: `http:scorer:decision:${i}`, text: res.text });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text)).toMatchObject({ checkoutId: request.checkoutId, region: 'eu' });
      }
    });

    it('refuses a PAN anywhere with 400 PAN_DETECTED and never echoes it', async () => {
      const base = (i: number): Record<string, unknown> => piiRequest(sys.runId, i).request as unknown as Record<string, unknown>;
      const variants: Array<[string, (pan: string) => string]> = [
        ['card token field', (pan) => JSON.stringify({ ...base(100), payment: { methodId: 'pm_1', type: 'card', card: { token: pan, bin: pan.slice(0, 8), country: 'DE', network: 'visa' } } })],
        ['spaced in the address', (pan) => JSON.stringify({ ...base(101), shipping: { method: 'standard', address: { line1: pan.replace(/(\d{4})(?=\d)/g, '$1 '), city: 'B', postalCode: '1', country: 'DE' } } })],
        ['dashed in an unknown field', (pan) => JSON.stringify({ ...base(102), note: pan.replace(/(\d{4})(?=\d)/g, '$1-') })],
        ['bare JSON number', (pan) => JSON.stringify({ ...base(103), extra: 0 }).replace('"extra":0', `"extra":${pan}`)],
      ];
      for (const [name, build] of variants) {
        const pan = uniquePan();
        needles.push({ kind: `pan (${name})`, value: pan }, { kind: `pan-formatted (${name})`, value: `${pan.slice(0, 4)} ${pan.slice(4, 8)} ${pan.slice(8, 12)}` }, { kind: `pan-tail (${name})`, value: pan.slice(6) });
        const res = await post(`${sys.apps.scorer.baseUrl}/v1/decisions`, build(pan));
        responses.push({ sink: `http:scorer:pan:${name}`, text: res.text });
        expect({ name, status: res.status, code: (JSON.parse(res.text) as { error?: { code?: string } }).error?.code }).toEqual({ name, status: 400, code: 'PAN_DETECTED' });
      }
      const pan = uniquePan();
      needles.push({ kind: 'pan (malformed body)', value: pan });
      const broken = await post(`${sys.apps.scorer.baseUrl}/v1/decisions`, `{"card": ${pan}x, "email": "${needles[0]?.value ?? ''}"`);
      responses.push({ sink: 'http:scorer:pan:malformed', text: broken.text });
      expect(broken.status).toBe(400);
    });

    it('decision events carry keyed tokens (configured key id k1), region eu', async () => {
      const sub = await log.subscribe<DecisionMadeEvent>({ group: `audit-${sys.runId}`, consumer: 'audit', topics: [TOPICS.decisions], blockMs: 100, handler: async (m) => void decisions.push(m.value) });
      for (let i = 0; i < 100 && decisions.length < N; i++) await sleep(100);
      await sub.stop();
      expect(decisions).toHaveLength(N);
      for (const d of decisions) {
        expect(d.region).toBe('eu');
        const s = d.payload.subject;
        for (const t of [s.accountToken, s.emailToken, s.deviceToken, s.ipToken, s.addressToken]) {
          expect(t).toMatch(TOKEN_PATTERN);
          expect(tokenKeyId(t ?? '')).toBe('k1');
        }
        // only derived, non-identifying card data: the BIN
        expect(s.bin).toMatch(/^\d{6,8}$/);
      }
    });

    it('the feature service applies token-only events and dead-letters raw identifiers, a PAN and a foreign region', async () => {
      const records: Array<{ topic: string; key: string; value: object }> = decisions.map((d) => {
        const e = exampleCheckoutStarted();
        return { topic: TOPICS.checkoutEvents, key: d.payload.subject.accountToken, value: { ...e, eventId: newId(), occurredAt: new Date().toISOString(), payload: { ...e.payload, checkoutId: d.payload.checkoutId, subject: d.payload.subject } } };
      });
      const label = exampleLabelConfirmed();
      const first = decisions[0];
      if (!first) throw new Error('no decision events');
      records.push({ topic: TOPICS.labels, key: first.payload.subject.accountToken, value: { ...label, eventId: newId(), payload: { ...label.payload, checkoutId: first.payload.checkoutId, subject: first.payload.subject } } });
      const rawEmail = needles.find((n) => n.kind === 'email')?.value ?? '';
      const eventPan = uniquePan();
      needles.push({ kind: 'pan (event)', value: eventPan });
      const bad = exampleCheckoutStarted();
      records.push(
        { topic: TOPICS.checkoutEvents, key: 'bad-raw-email', value: { ...bad, eventId: newId(), payload: { ...bad.payload, subject: { ...bad.payload.subject, emailToken: rawEmail } } } },
        { topic: TOPICS.checkoutEvents, key: 'bad-pan', value: { ...bad, eventId: newId(), payload: { ...bad.payload, checkoutId: eventPan } } },
        { topic: TOPICS.checkoutEvents, key: 'foreign', value: { ...bad, eventId: newId(), region: 'us', payload: { ...bad.payload, checkoutId: `chk_us_${sys.runId}` } } },
      );
      await log.publishBatch(records);
      const backlog = async (): Promise<number> => (await log.lag(CONSUMER_GROUPS.featureService, [TOPICS.checkoutEvents, TOPICS.labels])).reduce((a, l) => a + l.lag + l.pending, 0);
      for (let i = 0; i < 300 && (await backlog()) > 0; i++) await sleep(100);
      expect(await backlog()).toBe(0);
      const sub = await log.subscribe<DeadLetter>({ group: `dlq-${sys.runId}`, consumer: 'audit', topics: [dlqTopicOf(TOPICS.checkoutEvents)], blockMs: 100, handler: async (m) => void dead.push(m.value) });
      for (let i = 0; i < 50 && dead.length < 3; i++) await sleep(100);
      await sub.stop();
      expect(dead.map((d) => d.error.code).sort()).toEqual(['PAN_DETECTED', 'RESIDENCY_VIOLATION', 'VALIDATION_FAILED']);
    });
  });

  describe('residency (service configured for region eu)', () => {
    it('the feature service never writes another region’s state: online keys are all eu, the us event was dead-lettered', async () => {
      const keys = await sys.redis.client.keys('ofs:*');
      expect(keys.length).toBeGreaterThan(N);
      expect(keys.filter((k) => !k.startsWith('ofs:eu:'))).toEqual([]);
      expect(await sys.redis.client.keys('*:us:*')).toEqual([]);
    });

    // KNOWN GAP (scorer): it neither compares request.region with REGION nor tags its stores by region; an eu
    // scorer scores a us checkout and writes its decision (region us) into the eu decision log. Flips when fixed.
    knownGap('the scorer refuses a checkout of another region with 403 RESIDENCY_VIOLATION and writes nothing for it', async () => {
      const { request, needles: n } = piiRequest(sys.runId, 300, 'us');
      needles.push(...n);
      const res = await post(`${sys.apps.scorer.baseUrl}/v1/decisions`, JSON.stringify(request));
      responses.push({ sink: 'http:scorer:foreign-region', text: res.text });
      expect({ status: res.status, code: (JSON.parse(res.text) as { error?: { code?: string } }).error?.code }).toEqual({ status: 403, code: 'RESIDENCY_VIOLATION' });
    });
  });

  describe('fuzzing the public endpoints: never a 5xx, never a hang, always a JSON error with code + errorId, helmet headers', () => {
    const problems: string[] = [];
    afterAll(() => {
      // surfaced once per block, with exact repros
      if (problems.length) process.stderr.write(`fuzz problems:\n${problems.slice(0, 40).join('\n')}\n`);
    });

    it('scorer POST /v1/decisions: malformed, random and oversized bodies', async () => {
      const url = sys.apps.scorer.baseUrl;
      const local: string[] = [];
      for (const m of malformedBodies()) checkProbe(await send(url, { label: m.label, method: 'POST', path: '/v1/decisions', headers: { 'content-type': m.contentType }, body: m.body }), local);
      await fc.assert(
        fc.asyncProperty(arbitraryJsonBody, async (body) => {
          const p = await send(url, { label: `random ${JSON.stringify(body).slice(0, 80)}`, method: 'POST', path: '/v1/decisions', headers: { 'content-type': 'application/json' }, body });
          checkProbe(p, local);
          return p.status < 500;
        }),
        { numRuns: 60 },
      );
      const big = await send(url, { label: 'oversized (40 KB > 32 KB limit)', method: 'POST', path: '/v1/decisions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(40_000) }) });
      checkProbe(big, local);
      expect({ status: big.status, code: (JSON.parse(big.text) as { error: { code: string } }).error.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      checkProbe(await send(url, { label: 'GET on a POST route', method: 'GET', path: '/v1/decisions', headers: {} }), local);
      checkProbe(await send(url, { label: 'unknown route', method: 'POST', path: '/v1/%00/../../etc/passwd', headers: {} }), local);
      problems.push(...local);
      expect(local).toEqual([]);
    }, 60_000);

    it('registry API (authenticated as a release manager, so bodies reach validation): malformed, random, odd ids, oversized', async () => {
      const url = sys.apps.registry?.baseUrl ?? '';
      const auth = { authorization: `Bearer ${sys.secrets.releaseManager}` };
      const routes: Array<[string, string]> = [
        ['POST', '/api/v1/models'],
        ['POST', '/api/v1/models/checkout/versions'],
        ['POST', '/api/v1/freeze-windows'],
        ['PUT', '/api/v1/models/checkout/aliases/champion'],
      ];
      const local: string[] = [];
      for (const [method, path] of routes) {
        for (const m of malformedBodies()) checkProbe(await send(url, { label: m.label, method, path, headers: { ...auth, 'content-type': m.contentType }, body: m.body }), local);
      }
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), arbitraryJsonBody, async ([method, path], body) => {
          const p = await send(url, { label: `random ${JSON.stringify(body).slice(0, 80)}`, method, path, headers: { ...auth, 'content-type': 'application/json' }, body });
          checkProbe(p, local);
          return p.status < 500;
        }),
        { numRuns: 40 },
      );
      const odd: RawRequest[] = ['..%2F..%2Fetc', 'x'.repeat(90), "1' OR '1'='1", '__proto__', 'constructor', '%F0%9F%92%A9', '%20'].flatMap((id) => [
        { label: `odd id ${id.slice(0, 20)}`, method: 'GET', path: `/api/v1/versions/${id}`, headers: auth },
        { label: `odd name ${id.slice(0, 20)}`, method: 'GET', path: `/api/v1/models/${id}/regions/eu`, headers: auth },
        { label: `odd artifact ${id.slice(0, 20)}`, method: 'PUT', path: `/api/v1/versions/${id}/artifact`, headers: { ...auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array([0xff, 0x00, 0x13]) },
      ]);
      for (const r of odd) checkProbe(await send(url, r), local);
      const big = await send(url, { label: 'oversized (1.2 MB > 1 MB limit)', method: 'POST', path: '/api/v1/models', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', description: 'y'.repeat(1_200_000) }) });
      checkProbe(big, local);
      expect(big.status).toBe(413);
      problems.push(...local);
      expect(local).toEqual([]);
    }, 60_000);

    it('feature service HTTP (health, metrics, unknown routes)', async () => {
      const url = sys.apps.featureService.baseUrl;
      const local: string[] = [];
      const reqs: RawRequest[] = [
        { label: 'live', method: 'GET', path: '/health/live', headers: {} },
        { label: 'ready', method: 'GET', path: '/health/ready', headers: {} },
        { label: 'metrics', method: 'GET', path: '/metrics', headers: {} },
        ...malformedBodies().map((m) => ({ label: m.label, method: 'POST', path: '/health/live', headers: { 'content-type': m.contentType }, body: m.body })),
      ];
      for (const r of reqs) checkProbe(await send(url, r), local);
      problems.push(...local);
      expect(local).toEqual([]);
    });
  });

  describe('fuzzing the trainer and controller APIs', () => {
    it('trainer /v1/training-jobs and controller /v1/rollouts (as a release manager): malformed, random, odd ids', async () => {
      const trainer = sys.apps.trainer?.baseUrl ?? '';
      const controller = sys.apps.controller?.baseUrl ?? '';
      const rm = { authorization: `Bearer ${sys.secrets.releaseManager}` };
      const routes: Array<[string, string, string, Record<string, string>]> = [
        [trainer, 'POST', '/v1/training-jobs', {}],
        [controller, 'POST', '/v1/rollouts', rm],
        [controller, 'POST', `/v1/rollouts/${newId()}/pause`, rm],
        [controller, 'POST', `/v1/rollouts/${newId()}/matured-label-report`, rm],
      ];
      const local: string[] = [];
      for (const [base, method, path, headers] of routes) {
        for (const m of malformedBodies()) checkProbe(await send(base, { label: m.label, method, path, headers: { ...headers, 'content-type': m.contentType }, body: m.body }), local);
      }
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), arbitraryJsonBody, async ([base, method, path, headers], body) => {
          const p = await send(base, { label: `random ${JSON.stringify(body).slice(0, 80)}`, method, path, headers: { ...headers, 'content-type': 'application/json' }, body });
          checkProbe(p, local);
          return p.status < 500;
        }),
        { numRuns: 30 },
      );
      for (const id of ['..%2F..%2Fetc', 'x'.repeat(90), "1' OR '1'='1", '__proto__', '%F0%9F%92%A9', newId()]) {
        checkProbe(await send(trainer, { label: `odd job id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/training-jobs/${id}`, headers: {} }), local);
        checkProbe(await send(controller, { label: `odd rollout id ${id.slice(0, 20)}`, method: 'GET', path: `/v1/rollouts/${id}`, headers: rm }), local);
        checkProbe(await send(controller, { label: `odd command ${id.slice(0, 20)}`, method: 'POST', path: `/v1/rollouts/${newId()}/${id}`, headers: { ...rm, 'content-type': 'application/json' }, body: '{"reason":"probe"}' }), local);
      }
      expect(local).toEqual([]);
    }, 60_000);
  });

  describe('fuzz findings (known gaps in other owners\' code; each flips to a failure once fixed, then drop .failing)', () => {
    // registry: a NUL byte in a path parameter reaches PostgreSQL, which rejects it (invalid byte sequence) → 500.
    it('registry: a NUL byte in a path parameter is a 4xx, not 500 INTERNAL', async () => {
      const auth = { authorization: `Bearer ${sys.secrets.releaseManager}` };
      const p = await send(sys.apps.registry?.baseUrl ?? '', { label: 'NUL in model name', method: 'GET', path: '/api/v1/models/%00/regions/eu', headers: auth });
      expect(p.status).toBeLessThan(500);
    });

    // util-nest createHttpApp: Fastify's router rejects these before hooks and the Nest filter run, so the answer
    // has Fastify's own body ({statusCode,error,message}) and none of helmet's headers.
    it('router-level rejections (bad percent-encoding 400, over-long path parameter 414) carry the JSON error shape and helmet headers', async () => {
      const local: string[] = [];
      for (const base of [sys.apps.scorer.baseUrl, sys.apps.registry?.baseUrl ?? '']) {
        checkProbe(await send(base, { label: 'bad percent-encoding', method: 'GET', path: '/api/v1/versions/%E0%A4%A', headers: {} }), local);
        checkProbe(await send(base, { label: 'path parameter > maxParamLength', method: 'GET', path: `/api/v1/versions/${'x'.repeat(5000)}`, headers: {} }), local);
      }
      expect(local).toEqual([]);
    });
  });

  describe('access control (registry roles + service principals)', () => {
    const call = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; code?: string; body: Record<string, unknown> }> => {
      const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
      if (token !== null) headers['authorization'] = token.includes(' ') ? token : `Bearer ${token}`;
      const res = await fetch(`${sys.apps.registry?.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      const parsed = (await res.json()) as Record<string, unknown> & { error?: { code?: string } };
      return { status: res.status, code: parsed.error?.code, body: parsed };
    };

    it('no token / malformed / unknown token → 401 with a clear code', async () => {
      expect(await call('GET', '/api/v1/models', null)).toMatchObject({ status: 401, code: 'MISSING_TOKEN' });
      expect(await call('GET', '/api/v1/models', `Basic ${Buffer.from('a:b').toString('base64')}`)).toMatchObject({ status: 401, code: 'MALFORMED_TOKEN' });
      expect(await call('GET', '/api/v1/models', 'wrong-token-0123456789abcdef')).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      // a near miss of a real token is just as unknown
      expect(await call('GET', '/api/v1/models', `${sys.secrets.scorer.slice(0, -1)}X`)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    });

    it('service tokens authenticate as their service principal; roles bound what they may do (403 FORBIDDEN_ROLE)', async () => {
      const s = sys.secrets;
      expect((await call('GET', '/api/v1/me', s.scorer)).body).toMatchObject({ principal: 'scorer-eu', role: 'scorer' });
      expect((await call('GET', '/api/v1/me', s.controller)).body).toMatchObject({ principal: 'controller-eu', role: 'controller' });
      expect((await call('GET', '/api/v1/me', s.trainer)).body).toMatchObject({ principal: 'trainer-eu', role: 'trainer' });
      const model = { name: `sec-${sys.runId}`, description: 'access-control probe' };
      expect(await call('POST', '/api/v1/models', s.scorer, model)).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      expect(await call('POST', '/api/v1/models', s.viewer, model)).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      expect(await call('POST', '/api/v1/models', s.controller, model)).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      expect(await call('POST', '/api/v1/freeze-windows', s.trainer, { name: 'x', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'probe' })).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      expect((await call('POST', '/api/v1/models', s.trainer, model)).status).toBeLessThan(300);
      expect((await call('GET', '/api/v1/models', s.scorer)).status).toBe(200);
    });

    it('controller: operators authenticate with registry tokens; service and viewer tokens may read but not steer', async () => {
      const ctl = sys.apps.controller?.baseUrl ?? '';
      const req = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; code?: string }> => {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
        if (token) headers['authorization'] = `Bearer ${token}`;
        const res = await fetch(`${ctl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(5000) });
        const parsed = (await res.json()) as { error?: { code?: string } };
        return { status: res.status, code: parsed.error?.code };
      };
      expect(await req('GET', '/v1/rollouts', null)).toMatchObject({ status: 401, code: 'MISSING_TOKEN' });
      expect(await req('GET', '/v1/rollouts', 'unknown-token-0123456789abcdef')).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      expect(await req('GET', '/v1/rollouts', sys.secrets.viewer)).toMatchObject({ status: 200 });
      for (const t of [sys.secrets.viewer, sys.secrets.scorer, sys.secrets.trainer, sys.secrets.mlEngineer]) {
        expect(await req('POST', `/v1/rollouts/${newId()}/pause`, t, { reason: 'probe' })).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      }
    });

    // KNOWN GAP (trainer): its HTTP API has no authentication; anyone who reaches it can enqueue or cancel training.
    knownGap('trainer: calls without a token are refused with 401', async () => {
      const res = await fetch(`${sys.apps.trainer?.baseUrl}/v1/training-jobs/${newId()}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      expect(res.status).toBe(401);
    });

    it('only sha256 digests of API tokens are stored', async () => {
      const rows = (await sys.pg.query(`SELECT "tokenHash" FROM "${sys.schema}"."ApiToken"`)).rows as { tokenHash: string }[];
      expect(rows.length).toBeGreaterThanOrEqual(6);
      for (const r of rows) expect(r.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('online state retention', () => {
    it('every key the feature service wrote has a TTL', async () => {
      const audit = await auditOnlineTtls(sys.redis.client, 'ofs:*');
      expect(audit.scanned).toBeGreaterThan(N);
      expect(audit.withoutTtl).toEqual([]);
    });
  });

  describe('scan of everything the system wrote', () => {
    beforeAll(async () => {
      await Promise.all(sys.all.map((a) => a.stop()));
      const s = sys.secrets;
      const secretNeedles: Needle[] = [
        { kind: 'secret:tokenisation key', value: s.tokenKeySecret },
        ...(['scorer', 'controller', 'trainer', 'releaseManager', 'mlEngineer', 'viewer'] as const).map((k) => ({ kind: `secret:api token ${k}`, value: s[k] })),
      ];
      const sinks: Sink[] = [
        ...sys.all.map((a) => ({ sink: `log:${a.name}`, text: a.output() })),
        ...(await redisSinks(sys.redis.client, INPUT_STREAMS)),
        ...(await postgresSinks(sys.pg, sys.schema)),
        ...fileSinks(sys.tmpRoot),
        ...responses,
      ];
      // the scan saw real data: every app's log, the decision log, online state and the registry's tables
      expect(sinks.filter((x) => x.sink.startsWith('log:') && x.text.length > 0)).toHaveLength(5);
      expect(sinks.some((x) => x.sink.includes('risk.decisions.v1'))).toBe(true);
      expect(sinks.some((x) => x.sink.startsWith('redis:string:ofs:eu:'))).toBe(true);
      expect(sinks.some((x) => x.sink.endsWith('.ApiToken'))).toBe(true);
      findings = scanForNeedles(sinks, [...needles, ...secretNeedles]);
    });

    it('logs, decision log, online state, PostgreSQL rows, files and HTTP responses hold no raw PII, PAN or secret', () => {
      expect(findings.filter((f) => !DLQ_STREAM.test(f.sink))).toEqual([]);
    });

    // KNOWN GAP (event log / feature service): a refused event is dead-lettered with its original value verbatim, so a
    // producer's raw email or PAN is copied into `<topic>.dlq`. Flips when the DLQ stores a redacted copy.
    it('dead-letter streams hold no raw PII or PAN from refused events', () => {
      expect(findings.filter((f) => DLQ_STREAM.test(f.sink))).toEqual([]);
    });
  });
});
