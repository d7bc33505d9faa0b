import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { demoMetrics } from '@risk/registry';
import { OutboxRelay, sha256Hex, verifyWebhook } from '@risk/registry-data';
import { createLogger } from '@risk/util-logging';
import { TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import Redis from 'ioredis';
import { eventLogPublisher } from '../src/registry.app';
import { artifactFor, DATABASE_URL, startRegistry, T, versionBody, type Harness } from './registry-test-harness';

jest.setTimeout(60_000);

let h: Harness;
const MODEL = 'checkout-fraud';

beforeAll(async () => {
  h = await startRegistry('api');
});
afterAll(() => h?.close());

async function newVersion(label: string, strength = 3): Promise<{ id: string; version: number }> {
  const a = artifactFor(label);
  const v = await h.call('POST', `/api/v1/models/${MODEL}/versions`, T.mia, versionBody(a.sha256, a.bytes.length, demoMetrics(strength, { 'card/eu': 0.7 })));
  expect(v.status).toBe(201);
  expect((await h.call('PUT', `/api/v1/versions/${v.body.id}/artifact`, T.mia, a.bytes)).status).toBe(200);
  return { id: v.body.id, version: v.body.version };
}

async function requestAndApprove(versionId: string, region: string, targetStage: 'canary' | 'production'): Promise<string> {
  const req = await h.call('POST', `/api/v1/versions/${versionId}/promotion-requests`, T.mia, { region, targetStage, reason: `ship to ${targetStage}`, evidence: { auc: 0.9 } });
  expect(req.status).toBe(201);
  const ok = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/approve`, T.rita, { comment: 'looks good' });
  expect(ok.status).toBe(200);
  return req.body.id;
}

async function promote(versionId: string, region: string, targetStage: 'canary' | 'production'): Promise<void> {
  const id = await requestAndApprove(versionId, region, targetStage);
  const ex = await h.call('POST', `/api/v1/promotion-requests/${id}/execute`, T.rob, {});
  expect(ex.status).toBe(200);
}

const stageOf = async (versionId: string, region: string): Promise<string> => (await h.call('GET', `/api/v1/versions/${versionId}`, T.victor)).body.stages[region].stage;

describe('registry API (real PostgreSQL)', () => {
  it('serves an OpenAPI document at /docs', async () => {
    const json = await h.call('GET', '/docs/json', null);
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/promotion-requests/{id}/execute', '/api/v1/audit/live', '/api/v1/models/{name}/regions/{region}/rollback']));
    const ui = await fetch(`${h.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('rejects missing, malformed and unknown tokens with 401 and a code; wrong roles with 403', async () => {
    const none = await h.call('GET', '/api/v1/models', null);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('MISSING_TOKEN');
    expect(none.body.error.errorId).toBeTruthy();
    const res = await fetch(`${h.baseUrl}/api/v1/models`, { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MALFORMED_TOKEN');
    const bad = await h.call('GET', '/api/v1/models', 'not-a-real-token-123');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_TOKEN');

    const viewer = await h.call('POST', '/api/v1/models', T.victor, { name: MODEL });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const scorer = await h.call('POST', '/api/v1/freeze-windows', T.scorer, {});
    expect(scorer.status).toBe(403);

    const created = await h.call('POST', '/api/v1/models', T.mia, { name: MODEL, description: 'fraud' });
    expect(created.status).toBe(201);
    const dup = await h.call('POST', '/api/v1/models', T.trainer, { name: MODEL });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('MODEL_EXISTS');
    const invalid = await h.call('POST', '/api/v1/models', T.mia, { name: 'Bad Name!' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.issues[0].path).toBe('name');

    // Denied mutations are audited too.
    const denied = await h.call('GET', '/api/v1/audit?action=access.denied', T.victor);
    expect(denied.body.entries.map((e: { actor: string }) => e.actor)).toEqual(expect.arrayContaining(['victor', 'scorer']));
  });

  it('stores artifacts by sha256, rejects a checksum mismatch and serves verified bytes', async () => {
    const a = artifactFor('mismatch');
    const v = await h.call('POST', `/api/v1/models/${MODEL}/versions`, T.trainer, versionBody(a.sha256, a.bytes.length, demoMetrics(3, {})));
    expect(v.status).toBe(201);
    expect(v.body.artifact.status).toBe('pending');
    const tampered = Buffer.from(a.bytes);
    tampered[0] = tampered[0] === 0x41 ? 0x42 : 0x41;
    const bad = await h.call('PUT', `/api/v1/versions/${v.body.id}/artifact`, T.trainer, tampered);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('ARTIFACT_CHECKSUM_MISMATCH');
    expect((await h.call('GET', `/api/v1/versions/${v.body.id}/artifact`, T.scorer)).body.error.code).toBe('ARTIFACT_NOT_UPLOADED');
    // An unverified version cannot be promoted.
    const rid = await requestAndApprove(v.body.id, 'eu', 'canary');
    const blocked = await h.call('POST', `/api/v1/promotion-requests/${rid}/execute`, T.rob, {});
    expect(blocked.body.error.code).toBe('ARTIFACT_NOT_VERIFIED');

    const ok = await h.call('PUT', `/api/v1/versions/${v.body.id}/artifact`, T.trainer, a.bytes);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('verified');
    const res = await fetch(`${h.baseUrl}/api/v1/versions/${v.body.id}/artifact`, { headers: { authorization: `Bearer ${T.scorer}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('x-artifact-sha256')).toBe(a.sha256);
    expect(sha256Hex(bytes)).toBe(a.sha256);
    // Versions are immutable, even for direct SQL.
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await expect(c.query(`UPDATE "${h.schema}"."ModelVersion" SET metrics = '{}' WHERE id = $1`, [v.body.id])).rejects.toThrow(/immutable/);
    } finally {
      await c.end();
    }
  });

  it('enforces the stage machine, including illegal transitions', async () => {
    const v = await newVersion('sm');
    const shadow = await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'eu', toStage: 'shadow', reason: 'shadow on eu traffic' });
    expect(shadow.status).toBe(201);
    expect(await stageOf(v.id, 'eu')).toBe('shadow');
    expect(await stageOf(v.id, 'us')).toBe('candidate');

    const skip = await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.rita, { region: 'eu', toStage: 'production', reason: 'yolo' });
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('APPROVAL_REQUIRED');

    expect((await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'eu', toStage: 'archived', reason: 'superseded' })).status).toBe(201);
    const revive = await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'eu', toStage: 'shadow', reason: 'again' });
    expect(revive.status).toBe(409);
    expect(revive.body.error.code).toBe('ILLEGAL_TRANSITION');
    const promoteArchived = await h.call('POST', `/api/v1/versions/${v.id}/promotion-requests`, T.mia, { region: 'eu', targetStage: 'canary', reason: 'again' });
    expect(promoteArchived.body.error.code).toBe('ILLEGAL_TRANSITION');
    const noReason = await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'us', toStage: 'shadow', reason: '' });
    expect(noReason.status).toBe(400);
    const badRegion = await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'mars', toStage: 'shadow', reason: 'test' });
    expect(badRegion.body.error.code).toBe('UNKNOWN_REGION');

    // Every change recorded who/why.
    const audit = await h.call('GET', `/api/v1/audit?versionId=${v.id}&action=stage.changed`, T.victor);
    expect(audit.body.entries.map((e: { details: { to: string } }) => e.details.to)).toEqual(['archived', 'shadow']);
    expect(audit.body.entries[1]).toMatchObject({ actor: 'mia', actorRole: 'ml-engineer', region: 'eu', details: { reason: 'shadow on eu traffic' } });
  });

  it('requires four eyes for canary and production', async () => {
    const v = await newVersion('four-eyes');
    const req = await h.call('POST', `/api/v1/versions/${v.id}/promotion-requests`, T.rita, { region: 'us', targetStage: 'canary', reason: 'canary in us', evidence: { shadowPsi: 0.02 } });
    expect(req.status).toBe(201);
    const early = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/execute`, T.rita, {});
    expect(early.body.error.code).toBe('REQUEST_NOT_APPROVED');
    const self = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/approve`, T.rita, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('FOUR_EYES_VIOLATION');
    const mle = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/approve`, T.mia, {});
    expect(mle.status).toBe(403);
    expect(mle.body.error.code).toBe('FORBIDDEN_ROLE');
    const ok = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/approve`, T.rob, { comment: 'shadow clean' });
    expect(ok.body).toMatchObject({ status: 'approved', approvedBy: 'rob', requestedBy: 'rita' });
    const again = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/approve`, T.rob, {});
    expect(again.body.error.code).toBe('REQUEST_NOT_PENDING');
    // The controller may execute an approved request.
    const ex = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/execute`, T.controller, { evidence: { step: '1%' } });
    expect(ex.status).toBe(200);
    expect(await stageOf(v.id, 'us')).toBe('canary');
    const twice = await h.call('POST', `/api/v1/promotion-requests/${req.body.id}/execute`, T.controller, {});
    expect(twice.body.error.code).toBe('REQUEST_ALREADY_EXECUTED');
    // The database refuses self-approval even if the API were bypassed.
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await expect(c.query(`UPDATE "${h.schema}"."PromotionRequest" SET "approvedBy" = "requestedBy" WHERE id = $1`, [req.body.id])).rejects.toThrow(/four_eyes/);
    } finally {
      await c.end();
    }
  });

  it('blocks promotions during a peak-event freeze unless a release manager overrides with a reason', async () => {
    const v = await newVersion('freeze');
    const rid = await requestAndApprove(v.id, 'apac', 'production');
    const now = Date.now();
    const f = await h.call('POST', '/api/v1/freeze-windows', T.rita, { name: 'Singles Day', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), regions: ['apac'], reason: 'peak traffic' });
    expect(f.status).toBe(201);
    const blocked = await h.call('POST', `/api/v1/promotion-requests/${rid}/execute`, T.rob, {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('FREEZE_ACTIVE');
    expect(blocked.body.error.message).toContain('Singles Day');
    const ctl = await h.call('POST', `/api/v1/promotion-requests/${rid}/execute`, T.controller, { freezeOverride: { reason: 'controller wants it' } });
    expect(ctl.status).toBe(403);
    const noReason = await h.call('POST', `/api/v1/promotion-requests/${rid}/execute`, T.rob, { freezeOverride: { reason: '' } });
    expect(noReason.status).toBe(400);
    const over = await h.call('POST', `/api/v1/promotion-requests/${rid}/execute`, T.rob, { freezeOverride: { reason: 'fixes a live fraud attack, CAB-123' } });
    expect(over.status).toBe(200);
    const audit = await h.call('GET', `/api/v1/audit?region=apac&action=freeze.overridden`, T.victor);
    expect(audit.body.entries[0]).toMatchObject({ actor: 'rob', details: { reason: 'fixes a live fraud attack, CAB-123', freezes: ['Singles Day'] } });
    // Other regions are not frozen.
    expect((await h.call('GET', '/api/v1/freeze-windows', T.victor)).body).toHaveLength(1);
    const end = await h.call('DELETE', `/api/v1/freeze-windows/${f.body.id}`, T.rita);
    expect(end.status).toBe(200);
  });

  it('rolls back to the previous production version per region in one call, and answers what was live at t', async () => {
    const v1 = await newVersion('rb-1');
    const v2 = await newVersion('rb-2', 4);
    await promote(v1.id, 'eu', 'production');
    await promote(v1.id, 'us', 'production');
    const tV1 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await promote(v2.id, 'eu', 'production');
    const tV2 = new Date().toISOString();
    expect(await stageOf(v1.id, 'eu')).toBe('archived');
    const eu = await h.call('GET', `/api/v1/models/${MODEL}/regions/eu`, T.scorer);
    expect(eu.body.production.versionId).toBe(v2.id);

    const noReason = await h.call('POST', `/api/v1/models/${MODEL}/regions/eu/rollback`, T.rita, {});
    expect(noReason.status).toBe(400);
    const viewer = await h.call('POST', `/api/v1/models/${MODEL}/regions/eu/rollback`, T.victor, { reason: 'decline spike' });
    expect(viewer.status).toBe(403);
    await new Promise((r) => setTimeout(r, 20));
    const rb = await h.call('POST', `/api/v1/models/${MODEL}/regions/eu/rollback`, T.controller, { reason: 'decline rate 3x in eu', evidence: { declineRate: 0.09 } });
    expect(rb.status).toBe(200);
    expect(rb.body).toMatchObject({ restoredVersionId: v1.id, rolledBackVersionId: v2.id });
    expect((await h.call('GET', `/api/v1/models/${MODEL}/regions/eu`, T.scorer)).body.production.versionId).toBe(v1.id);
    expect((await h.call('GET', `/api/v1/models/${MODEL}/regions/us`, T.scorer)).body.production.versionId).toBe(v1.id);
    const second = await h.call('POST', `/api/v1/models/${MODEL}/regions/eu/rollback`, T.rita, { reason: 'again' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('NO_PREVIOUS_PRODUCTION');

    const liveAt = async (at: string, region = 'eu') => (await h.call('GET', `/api/v1/audit/live?region=${region}&at=${encodeURIComponent(at)}&model=${MODEL}`, T.victor)).body;
    const atV1 = await liveAt(tV1);
    expect(atV1.live.filter((l: { stage: string }) => l.stage === 'production').map((l: { versionId: string }) => l.versionId)).toEqual([v1.id]);
    const atV2 = await liveAt(tV2);
    expect(atV2.live.filter((l: { stage: string }) => l.stage === 'production').map((l: { versionId: string }) => l.versionId)).toEqual([v2.id]);
    const nowLive = await liveAt(new Date().toISOString());
    expect(nowLive.live.filter((l: { stage: string }) => l.stage === 'production')).toEqual([expect.objectContaining({ versionId: v1.id, by: 'controller', reason: 'decline rate 3x in eu' })]);
    expect((await liveAt('2020-01-01T00:00:00Z')).live).toEqual([]);
    const bad = await h.call('GET', `/api/v1/audit/live?region=eu&at=yesterday`, T.victor);
    expect(bad.status).toBe(400);

    const rbAudit = await h.call('GET', `/api/v1/audit?model=${MODEL}&region=eu&action=rollback`, T.victor);
    expect(rbAudit.body.entries[0]).toMatchObject({ actor: 'controller', actorRole: 'controller', details: { reason: 'decline rate 3x in eu' } });
  });

  it('lets exactly one of many concurrent promotions win, with no lost update', async () => {
    const base = await newVersion('race-base');
    await promote(base.id, 'apac', 'canary');
    const a = await newVersion('race-a');
    const b = await newVersion('race-b');
    // Both requests see the same production holder (apac production was set by the freeze test).
    const ra = await requestAndApprove(a.id, 'apac', 'production');
    const rb = await requestAndApprove(b.id, 'apac', 'production');
    const calls = [ra, rb, ra, rb, ra, rb, ra, rb].map((id, i) => h.call('POST', `/api/v1/promotion-requests/${id}/execute`, i % 2 ? T.rob : T.controller, {}));
    const results = await Promise.all(calls);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.error.code))).toEqual(new Set(['STALE_REQUEST', 'REQUEST_ALREADY_EXECUTED']));
    const winner = results.find((r) => r.status === 200)?.body.versionId;
    const dep = await h.call('GET', `/api/v1/models/${MODEL}/regions/apac`, T.scorer);
    expect(dep.body.production.versionId).toBe(winner);
    expect(dep.body.canary.versionId).toBe(base.id);
    // Exactly one production holder in the database and exactly one transition into production for the race.
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${h.schema}"."VersionStage" WHERE region = 'apac' AND stage = 'production'`);
      expect(rows[0].n).toBe(1);
      const t = await c.query(`SELECT "versionId" FROM "${h.schema}"."StageTransition" WHERE region = 'apac' AND "toStage" = 'production' AND "versionId" = ANY($1::uuid[])`, [[a.id, b.id]]);
      expect(t.rows.map((r) => r.versionId)).toEqual([winner]);
    } finally {
      await c.end();
    }
  });

  it('keeps aliases, a rollout timeline and evidence for the controller', async () => {
    const v = await newVersion('timeline');
    expect((await h.call('PUT', `/api/v1/models/${MODEL}/aliases/champion`, T.rita, { versionId: v.id })).status).toBe(200);
    expect((await h.call('GET', `/api/v1/models/${MODEL}/aliases/champion`, T.scorer)).body).toMatchObject({ versionId: v.id, version: v.version });
    expect((await h.call('PUT', `/api/v1/models/${MODEL}/aliases/production`, T.rita, { versionId: v.id })).body.error.code).toBe('ALIAS_RESERVED');
    for (const [step, pct] of [['canary-1', 1], ['canary-5', 5]] as const) {
      const s = await h.call('POST', `/api/v1/versions/${v.id}/rollout-steps`, T.controller, { region: 'eu', step, trafficPercent: pct, status: 'passed', details: { declineRateDelta: 0.001 } });
      expect(s.status).toBe(201);
    }
    expect((await h.call('POST', `/api/v1/versions/${v.id}/rollout-steps`, T.mia, { region: 'eu', step: 'x', status: 'passed' })).status).toBe(403);
    const steps = await h.call('GET', `/api/v1/versions/${v.id}/rollout-steps`, T.victor);
    expect(steps.body.map((s: { step: string }) => s.step)).toEqual(['canary-1', 'canary-5']);
    const ev = await h.call('POST', `/api/v1/versions/${v.id}/evidence`, T.controller, { kind: 'matured-labels', region: 'eu', data: { fraudLossDelta: -0.12 } });
    expect(ev.status).toBe(201);
    expect((await h.call('GET', `/api/v1/versions/${v.id}/evidence`, T.victor)).body[0]).toMatchObject({ kind: 'matured-labels', data: { fraudLossDelta: -0.12 } });
  });

  it('delivers signed stage-change webhooks from the outbox, retrying with backoff', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let fail = 1;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (fail-- > 0) {
          res.statusCode = 500;
          res.end();
          return;
        }
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const secret = 'whsec-0123456789abcdef';
      expect((await h.call('POST', '/api/v1/webhooks', T.rita, { url, secret, eventTypes: ['registry.stage-changed'] })).status).toBe(201);
      const listed = await h.call('GET', '/api/v1/webhooks', T.rita);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      const v = await newVersion('hook');
      await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'us', toStage: 'shadow', reason: 'shadow for webhook' });
      const relay = new OutboxRelay(h.reg.prisma, createLogger({ name: 'relay-test', level: 'silent' }), { topic: 't', backoffBaseMs: 50 });
      const first = await relay.drainOnce();
      expect(first).toMatchObject({ delivered: 0, failed: 1 });
      await new Promise((r) => setTimeout(r, 1200));
      const second = await relay.drainOnce();
      expect(second.delivered).toBe(1);
      const hit = received[0];
      expect(hit).toBeDefined();
      const ok = verifyWebhook(secret, { signature: String(hit?.headers['x-registry-signature']), timestamp: String(hit?.headers['x-registry-timestamp']) }, hit?.body ?? '');
      expect(ok).toBe(true);
      expect(JSON.parse(hit?.body ?? '{}')).toMatchObject({ type: 'registry.stage-changed', versionId: v.id, region: 'us', fromStage: 'candidate', toStage: 'shadow', actor: 'mia' });
      expect((await relay.drainOnce()).delivered).toBe(0);
      // Polling fallback sees the same event.
      const ev = await h.call('GET', '/api/v1/events?afterSeq=0&limit=500', T.scorer);
      expect(ev.body.events.some((e: { versionId: string; toStage: string }) => e.versionId === v.id && e.toStage === 'shadow')).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('publishes every stage change from the outbox to the shared event log (Redis Streams), exactly once per row', async () => {
    const keyPrefix = `regtest-${process.pid}-${Date.now().toString(36)}`;
    const log = await createEventLog({ backend: 'redis', redisUrl: 'redis://127.0.0.1:6379', keyPrefix, defaultPartitions: 2, publishMode: 'blocking' });
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    try {
      const v = await newVersion('eventlog');
      await h.call('POST', `/api/v1/versions/${v.id}/transitions`, T.mia, { region: 'eu', toStage: 'shadow', reason: 'for the event log' });
      const relay = new OutboxRelay(h.reg.prisma, createLogger({ name: 'relay-test', level: 'silent' }), { topic: TOPICS.registryChanges }, eventLogPublisher(log));
      const first = await relay.drainOnce();
      expect(first.published).toBeGreaterThan(0);
      expect((await relay.drainOnce()).published).toBe(0);
      const got: { versionId?: string; toStage?: string; type?: string }[] = [];
      const sub = await log.subscribe<{ versionId?: string; toStage?: string; type?: string }>({
        group: 'registry-test',
        consumer: 'c1',
        topics: [TOPICS.registryChanges],
        blockMs: 100,
        handler: async (m) => {
          got.push(m.value);
        },
      });
      for (let i = 0; i < 50 && got.length < first.published; i++) await new Promise((r) => setTimeout(r, 100));
      await sub.stop({ timeoutMs: 2000 });
      expect(got).toHaveLength(first.published);
      expect(got).toContainEqual(expect.objectContaining({ type: 'registry.stage-changed', versionId: v.id, toStage: 'shadow' }));
    } finally {
      await log.close({ timeoutMs: 2000 });
      await redis.connect();
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });
});

describe('registry API robustness', () => {
  it('answers malformed input with 4xx and a code, never a 500', async () => {
    const probes: [string, string, unknown][] = [
      ['GET', '/api/v1/versions/not-a-uuid', undefined],
      ['GET', `/api/v1/versions/${'-'.repeat(36)}`, undefined],
      ['GET', '/api/v1/versions/not-a-uuid/rollout-steps', undefined],
      ['GET', '/api/v1/versions/not-a-uuid/evidence', undefined],
      ['GET', '/api/v1/versions/00000000-0000-0000-0000-000000000000/artifact', undefined],
      ['POST', '/api/v1/promotion-requests/xyz/execute', {}],
      ['POST', '/api/v1/promotion-requests/00000000-0000-0000-0000-000000000000/approve', {}],
      ['GET', '/api/v1/events?afterSeq=99999999999', undefined],
      ['GET', '/api/v1/audit?beforeSeq=-1&limit=100000', undefined],
      ['GET', '/api/v1/audit/live?region=eu', undefined],
      ['GET', '/api/v1/models/nope/regions/eu', undefined],
      ['GET', `/api/v1/models/${MODEL}/regions/mars`, undefined],
      ['POST', `/api/v1/models/${MODEL}/versions`, [1, 2, 3]],
      ['POST', `/api/v1/models/${MODEL}/versions`, { artifactSha256: 'A'.repeat(64), artifactSizeBytes: -1, metrics: { summary: { auc: 'x' } } }],
      ['POST', '/api/v1/models', null],
      ['POST', '/api/v1/freeze-windows', { name: 'x', startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z', reason: 'bad range' }],
      ['PUT', `/api/v1/models/${MODEL}/aliases/champion`, { versionId: 'nope' }],
      ['DELETE', '/api/v1/freeze-windows/abc', undefined],
      ['GET', '/api/v1/promotion-requests?status=weird', undefined],
    ];
    for (const [method, path, body] of probes) {
      const token = method === 'GET' ? T.victor : T.rita;
      const r = await h.call(method, path, token, body);
      expect({ path, status: r.status < 500 && r.status >= 400 }).toEqual({ path, status: true });
      expect(typeof r.body.error?.code).toBe('string');
    }
    const raw = await fetch(`${h.baseUrl}/api/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${T.mia}`, 'content-type': 'application/json' }, body: '{"name":' });
    expect(raw.status).toBe(400);
    const tooBig = await fetch(`${h.baseUrl}/api/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${T.mia}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(tooBig.status).toBe(413);
  });
});
