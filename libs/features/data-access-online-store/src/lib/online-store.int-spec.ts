import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { computeBatch } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { handbookFeatureSet, handbookLabelEvent, handbookTransactionEvent, parseHandbookDatetime } from '@risk/feature-sets';
import type { HandbookRawRow } from '@risk/feature-sets';
import { simulateHandbook } from '@risk/simulators';
import { createOnlineRedis } from './online-redis';
import { OnlineFeatureStore } from './online-store';
import { OnlineFeatureReader } from './online-reader';
import { stateKey } from './online-store.keys';
import { OnlineFeatureProvider } from './online-feature.provider';
import { checkoutFeatureRequest } from './checkout-request.mapper';
import { exampleScoringRequest } from '@risk/contract-events';
import { checkoutFeatureSet } from '@risk/feature-sets';

const set = handbookFeatureSet;

function rows(n: number): HandbookRawRow[] {
  const ds = simulateHandbook({ customers: 40, terminals: 60, days: 20, seed: 7 });
  const out: HandbookRawRow[] = [];
  for (let i = 0; i < Math.min(n, ds.size); i++) {
    const r = ds.row(i);
    out.push({ transactionId: String(r.transactionId), time: parseHandbookDatetime(r.txDatetime), customerId: String(r.customerId), terminalId: String(r.terminalId), amount: r.txAmount, fraud: r.txFraud === 1 });
  }
  return out;
}

describe('OnlineFeatureStore + OnlineFeatureReader (real Redis)', () => {
  const prefix = `test-ofs-${randomUUID().slice(0, 8)}`;
  let redis: Redis;
  beforeAll(() => {
    redis = createOnlineRedis('redis://127.0.0.1:6379', { commandTimeoutMs: 2000, failFast: false });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
  });

  it('is idempotent by event id, within a batch and across batches', async () => {
    const store = new OnlineFeatureStore({ redis, set, keyPrefix: prefix, region: 'idem' });
    const [r] = rows(1);
    const tx = handbookTransactionEvent(r);
    const first = await store.apply([tx, tx]);
    expect(first).toMatchObject({ applied: 2, duplicate: 2 }); // customer + terminal applied, both repeats skipped
    const again = await store.apply([tx]);
    expect(again).toMatchObject({ applied: 0, duplicate: 2, writes: 0 });
    expect(await redis.exists(`${stateKey(prefix, 'idem', set, 'customer', r.customerId)}:ev:${tx.eventId}`)).toBe(1);
    const reader = new OnlineFeatureReader({ redis, set, keyPrefix: prefix, region: 'idem', deadlineMs: 500 });
    const later = { ...tx, eventId: 'probe', time: tx.time + 1000 };
    const read = await reader.read(later);
    expect(read.values[set.featureNames.indexOf('CUSTOMER_ID_NB_TX_1DAY_WINDOW' as never)]).toBe(2); // tx + the probe itself
  });

  it('online reads at scoring time equal computeBatch, with concurrent writers on the same keys', async () => {
    const data = rows(600);
    const events: EngineEvent[] = [];
    for (const r of data) events.push(handbookTransactionEvent(r), handbookLabelEvent(r));
    events.sort((x, y) => x.time - y.time);
    const requests = data.map(handbookTransactionEvent);
    const lastTx = requests[requests.length - 1].time;
    events.splice(events.findIndex((e) => e.time > lastTx));

    // two writers with their own connections race on the same entity keys (CAS conflicts must not lose updates)
    const redis2 = createOnlineRedis('redis://127.0.0.1:6379', { commandTimeoutMs: 2000, failFast: false });
    const a = new OnlineFeatureStore({ redis, set, keyPrefix: prefix, region: 'eq' });
    const b = new OnlineFeatureStore({ redis: redis2, set, keyPrefix: prefix, region: 'eq' });
    // chunks within 30 min (inside the 1 h lateness) applied concurrently, alternating writers
    let i = 0;
    while (i < events.length) {
      let j = i;
      while (j < events.length && events[j].time - events[i].time < 30 * 60_000 && j - i < 16) j++;
      const chunk = events.slice(i, j);
      await Promise.all(chunk.map((e, k) => (k % 2 ? a : b).apply([e])));
      i = j;
    }
    const reader = new OnlineFeatureReader({ redis, set, keyPrefix: prefix, region: 'eq', deadlineMs: 1000 });
    // read "now" (after the last event) for the entities of the last 50 requests, as the scorer would
    const t = events[events.length - 1].time + 1000;
    const probes = requests.slice(-50).map((q, k) => ({ ...q, eventId: `probe-${k}`, time: t }));
    const probeExpected = computeBatch(set, events, probes);
    for (let k = 0; k < probes.length; k++) {
      const got = await reader.read(probes[k]);
      expect(got.timedOut).toBe(false);
      expect(Array.from(got.values)).toEqual(Array.from(probeExpected.values.subarray(k * probeExpected.width, (k + 1) * probeExpected.width)));
    }
    redis2.disconnect();
  });

  it('hot write key: events submitted in one turn fold into ONE read and ONE CAS write per entity', async () => {
    const store = new OnlineFeatureStore({ redis, set, keyPrefix: prefix, region: 'hot' });
    const base = Date.UTC(2018, 3, 1);
    const events: EngineEvent[] = Array.from({ length: 300 }, (_, i) => ({
      eventId: `hot-${i}`,
      type: 'handbook.transaction',
      time: base + i * 1000,
      entities: { customer: `c${i}`, terminal: 'T-HOT' },
      values: { amount: 10 + (i % 7) },
    }));
    const results = await Promise.all(events.map((e) => store.submit(e)));
    expect(results[0].applied).toBe(600);
    // 300 customers + 1 terminal: one write each, instead of 300 conflicting writes on the terminal
    expect(store.stats.writes).toBe(301);
    const reader = new OnlineFeatureReader({ redis, set, keyPrefix: prefix, region: 'hot', deadlineMs: 1000 });
    const probe = { ...events[0], eventId: 'p', time: base + 300 * 1000, entities: { customer: 'cx', terminal: 'T-HOT' } };
    const got = await reader.read(probe);
    const exp = computeBatch(set, events, [probe]);
    expect(Array.from(got.values)).toEqual(Array.from(exp.values));
  });

  it('hot read key: coarse entities are served from a short-TTL in-process cache', async () => {
    const store = new OnlineFeatureStore({ redis, set, keyPrefix: prefix, region: 'hotr' });
    const [r] = rows(1);
    await store.apply([handbookTransactionEvent(r)]);
    let now = 1_000_000;
    const reader = new OnlineFeatureReader({ redis, set, keyPrefix: prefix, region: 'hotr', deadlineMs: 1000, coarseEntities: ['terminal'], coarseCacheTtlMs: 250, now: () => now });
    const q = (i: number): EngineEvent => ({ ...handbookTransactionEvent(r), eventId: `q${i}`, time: r.time + 1000, entities: { customer: `other-${i}`, terminal: r.terminalId } });
    const first = await reader.read(q(0));
    expect(first).toMatchObject({ fetchedKeys: 2, cachedKeys: 0 });
    for (let i = 1; i <= 100; i++) {
      const got = await reader.read(q(i));
      expect(got).toMatchObject({ fetchedKeys: 1, cachedKeys: 1 });
      expect(Array.from(got.values)).toEqual(Array.from(first.values));
    }
    now += 251; // TTL over: the hot key is fetched again (bounded staleness)
    expect((await reader.read(q(101))).fetchedKeys).toBe(2);
    expect(reader.stats.cacheHits).toBe(100);
  });

  it('FeatureProvider adapter (scorer port shape): values by name, entities without state as missing', async () => {
    const request = exampleScoringRequest();
    const tokens = { account: 'tok_acc_p', email: 'tok_em_p', ip: 'tok_ip_p', device: 'tok_dev_p', address: 'tok_addr_p' };
    const store = new OnlineFeatureStore({ redis, set: checkoutFeatureSet, keyPrefix: prefix, region: 'prov' });
    // an earlier checkout of the same account, as the feature service would have ingested it
    const earlier = checkoutFeatureRequest({ request: { ...request, checkoutId: 'chk_earlier_1', occurredAt: new Date(Date.parse(request.occurredAt) - 60_000).toISOString() }, tokens });
    await store.apply([earlier]);
    const reader = new OnlineFeatureReader({ redis, set: checkoutFeatureSet, keyPrefix: prefix, region: 'prov', deadlineMs: 1000 });
    const provider = new OnlineFeatureProvider(reader, checkoutFeatureRequest, () => new Error('timeout'));
    const r = await provider.read({ request, tokens }, 1000);
    expect(r.missing).not.toContain('account');
    const direct = await reader.read(checkoutFeatureRequest({ request, tokens }));
    checkoutFeatureSet.featureNames.forEach((name, i) => {
      // Missing features carry their default, exactly as the batch engine (training) computed them.
      expect(r.values[name]).toBe(direct.values[i]);
    });
    expect(Object.keys(r.values)).toHaveLength(checkoutFeatureSet.featureNames.length);
  });

  describe('read deadline against a paused Redis', () => {
    const port = 6390 + Math.floor(Math.random() * 8);
    let server: ChildProcess;
    let own: Redis;
    beforeAll(async () => {
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      own = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: (n) => (n > 50 ? null : 50) });
      for (let i = 0; i < 50; i++) {
        try {
          await own.connect();
          break;
        } catch {
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    });
    afterAll(async () => {
      own.disconnect();
      server.kill('SIGKILL');
    });

    it('serves defaults with missing flags within the deadline (CLIENT PAUSE)', async () => {
      const writer = new OnlineFeatureStore({ redis: own, set, keyPrefix: prefix, region: 'pause' });
      const [r] = rows(1);
      await writer.apply([handbookTransactionEvent(r)]);
      const fast = createOnlineRedis(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 15 });
      await new Promise((res) => fast.once('ready', res));
      const reader = new OnlineFeatureReader({ redis: fast, set, keyPrefix: prefix, region: 'pause', deadlineMs: 20 });
      const q = { ...handbookTransactionEvent(r), eventId: 'later', time: r.time + 1000 };
      const healthy = await reader.read(q);
      expect(healthy.timedOut).toBe(false);
      expect(healthy.missing.some((m) => m === 0)).toBe(true);

      await own.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const t0 = performance.now();
      const paused = await reader.read(q);
      const took = performance.now() - t0;
      expect(paused.timedOut).toBe(true);
      expect(took).toBeLessThan(60);
      expect(paused.unavailable).toEqual(['customer', 'terminal']);
      set.featureNames.forEach((name, i) => {
        if (name.startsWith('TX_')) return; // request-time features need no state
        expect(paused.missing[i]).toBe(1);
        expect(paused.values[i]).toBe(set.defaults[i]);
      });
      fast.disconnect();
    });
  });
});
