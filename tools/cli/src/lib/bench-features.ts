import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { CheckoutStartedEvent, RiskEvent } from '@risk/contract-events';
import { CONSUMER_GROUPS, TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import type { FeatureRequest } from '@risk/feature-engine';
import { IngestEventUseCase } from '@risk/feature-ingestion';
import { checkoutFeatureSet, checkoutStartedToFeatureEvent } from '@risk/feature-sets';
import { createOnlineRedis, OnlineFeatureReader, OnlineFeatureStore } from '@risk/online-store';
import { marketplaceEvents } from '@risk/simulators';

export interface RedisBenchmarkRow {
  test: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** `redis-benchmark -P 16 -t set,get --csv` against the same Redis, parsed. */
export function runRedisBenchmark(host: string, port: number, requests: number): RedisBenchmarkRow[] {
  const r = spawnSync('redis-benchmark', ['-h', host, '-p', String(port), '-P', '16', '-t', 'set,get', '-n', String(requests), '--csv'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr || r.error?.message}`);
  const lines = r.stdout.trim().split('\n');
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((l) => {
    const f = l.split(',').map((x) => x.replace(/"/g, ''));
    return { test: f[0], rps: Number(f[col('rps')]), p50Ms: Number(f[col('p50_latency_ms')]), p99Ms: Number(f[col('p99_latency_ms')]) };
  });
}

export interface FeatureBenchResult {
  events: number;
  eventsPerSecond: number;
  casWrites: number;
  casConflicts: number;
  reads: number;
  readP50Ms: number;
  readP99Ms: number;
  readTimeouts: number;
  entitiesPerRequest: number;
  redisBenchmark: RedisBenchmarkRow[];
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export async function benchFeatures(o: { redisUrl: string; events: number; reads: number; partitions: number; redisBenchRequests: number }): Promise<FeatureBenchResult> {
  const url = new URL(o.redisUrl);
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const source: RiskEvent[] = [];
  for (const e of marketplaceEvents({ days: 14, shoppers: 4000, merchants: 3000, emitDecisions: false })) {
    // one regional deployment sees only its region's events (the others are refused by residency)
    if (e.type === 'decision.made' || e.region !== 'eu') continue;
    source.push(e);
    if (source.length >= o.events) break;
  }
  const region = 'eu';
  const redis = createOnlineRedis(o.redisUrl, { commandTimeoutMs: 5000, failFast: false });
  const store = new OnlineFeatureStore({ redis, set: checkoutFeatureSet, keyPrefix: `${prefix}-fs`, region });
  const ingest = new IngestEventUseCase({ store, region, acceptEngineEvents: false });
  const log = await createEventLog({ backend: 'redis', redisUrl: o.redisUrl, keyPrefix: `${prefix}-el`, region, defaultPartitions: o.partitions });
  try {
    const labels = new Set(['chargeback.received', 'label.confirmed']);
    for (let i = 0; i < source.length; i += 1000) {
      await log.publishBatch(
        source.slice(i, i + 1000).map((e) => ({ topic: labels.has(e.type) ? TOPICS.labels : TOPICS.checkoutEvents, key: (e.payload as { subject?: { accountToken: string } }).subject?.accountToken ?? e.eventId, value: e as object })),
      );
    }
    // ingestion: the feature service's use case behind the event log, draining the published backlog
    let handled = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    const t0 = performance.now();
    const sub = await log.subscribe({
      group: CONSUMER_GROUPS.featureService,
      consumer: 'bench-0',
      topics: [TOPICS.checkoutEvents, TOPICS.labels],
      batchSize: 200,
      blockMs: 100,
      handler: async (m) => {
        await ingest.execute(m.value);
        if (++handled === source.length) done();
      },
    });
    let lastProgress = performance.now();
    let seen = 0;
    // done when every event is handled, or nothing moved for 5 s (then the handled count is what is reported)
    for (let i = 0; i < 6000; i++) {
      const r = await Promise.race([finished.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 50))]);
      if (r) break;
      if (handled + sub.stats.deadLettered !== seen) {
        seen = handled + sub.stats.deadLettered;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > 5000) break;
    }
    const ingestSeconds = (Math.min(performance.now(), lastProgress + (handled === source.length ? Infinity : 0)) - t0) / 1000;
    await sub.stop({ timeoutMs: 5000 });
    if (handled !== source.length) process.stderr.write(`warning: ${handled} of ${source.length} events handled (stats ${JSON.stringify(sub.stats)})\n`);
    if (sub.stats.deadLettered > 0) throw new Error(`${sub.stats.deadLettered} events were dead-lettered during the bench`);

    // online read of checkout-set requests (all entities of a checkout: account, card, device, ip, email, address, merchant, payment method, bin)
    const fast = createOnlineRedis(o.redisUrl, { commandTimeoutMs: 15 });
    await new Promise((r) => fast.once('ready', r));
    const reader = new OnlineFeatureReader({ redis: fast, set: checkoutFeatureSet, keyPrefix: `${prefix}-fs`, region, deadlineMs: 20, coarseEntities: [], coarseCacheTtlMs: 0 });
    const requests: FeatureRequest[] = source.filter((e): e is CheckoutStartedEvent => e.type === 'checkout.started').map(checkoutStartedToFeatureEvent);
    const lat: number[] = [];
    let timeouts = 0;
    let keys = 0;
    for (let i = 0; i < o.reads; i++) {
      const q = requests[i % requests.length];
      const s = performance.now();
      const r = await reader.read({ ...q, eventId: `bench-read-${i}` });
      lat.push(performance.now() - s);
      if (r.timedOut) timeouts++;
      keys += r.fetchedKeys;
    }
    fast.disconnect();
    lat.sort((a, b) => a - b);
    const redisBenchmark = runRedisBenchmark(url.hostname, Number(url.port || 6379), o.redisBenchRequests);
    return {
      events: source.length,
      eventsPerSecond: handled / ingestSeconds,
      casWrites: store.stats.writes,
      casConflicts: store.stats.conflicts,
      reads: o.reads,
      readP50Ms: pct(lat, 0.5),
      readP99Ms: pct(lat, 0.99),
      readTimeouts: timeouts,
      entitiesPerRequest: keys / o.reads,
      redisBenchmark,
    };
  } finally {
    await log.close({ timeoutMs: 5000 });
    for (const p of [`${prefix}-fs`, `${prefix}-el`]) {
      let cursor = '0';
      for (let i = 0; i < 100_000; i++) {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
        if (found.length) await redis.del(...found);
        cursor = next;
        if (cursor === '0') break;
      }
    }
    await redis.del('key:__rand_int__');
    redis.disconnect();
  }
}
