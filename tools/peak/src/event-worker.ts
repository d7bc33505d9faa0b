/**
 * Publishes marketplace-simulator contract events (one region) to the event log at a fixed rate, as the checkout
 * platform would, so the feature service has a live stream to keep up with. Blocking publishes; a refused one is
 * retried later (bounded), so every event is eventually acknowledged exactly once from the producer's view.
 * Config: JSON in argv[2]. Reports acked ids to the parent at the end.
 */
import { TOPICS, type RiskEvent } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import { marketplaceEvents } from '@risk/simulators';

interface EventWorkerConfig {
  redisUrl: string;
  region: 'eu' | 'us' | 'apac';
  rate: number;
  durationS: number;
  seed: number;
  /** Suffix appended to every eventId so repeated runs never collide with idempotency keys. */
  runId: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as EventWorkerConfig;

function route(e: RiskEvent): { topic: string; key: string } | null {
  if (e.type === 'decision.made') return null; // the scorer writes those
  if (e.type === 'chargeback.received' || e.type === 'label.confirmed') return { topic: TOPICS.labels, key: e.payload.subject.accountToken };
  return { topic: TOPICS.checkoutEvents, key: e.payload.subject.accountToken };
}

async function main(): Promise<void> {
  const log = await createEventLog({ backend: 'redis', redisUrl: cfg.redisUrl, region: cfg.region, clientId: 'peak-events' });
  const source = marketplaceEvents({ seed: cfg.seed, shoppers: 2_000, merchants: 500, days: 3 });
  const acked: string[] = [];
  let retries = 0;
  let failures = 0;
  const backlog: Array<{ topic: string; key: string; value: RiskEvent }> = [];
  const t0 = Date.now();
  const end = t0 + cfg.durationS * 1000;
  let due = 0;
  while (Date.now() < end) {
    const target = Math.floor(((Date.now() - t0) / 1000) * cfg.rate);
    while (due < target) {
      const next = source.next();
      if (next.done) break;
      const e = next.value;
      if (e.region !== cfg.region) continue;
      const r = route(e);
      if (!r) continue;
      backlog.push({ ...r, value: { ...e, eventId: `${e.eventId}-${cfg.runId}` } as RiskEvent });
      due++;
    }
    while (backlog.length && Date.now() < end) {
      const rec = backlog[0] as (typeof backlog)[number];
      try {
        await log.publish(rec.topic, rec.key, rec.value);
        acked.push(rec.value.eventId);
        backlog.shift();
      } catch {
        failures++;
        retries++;
        await new Promise((r) => setTimeout(r, 200));
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // Drain what is left (bounded) so the count is exact.
  const drainEnd = Date.now() + 15_000;
  while (backlog.length && Date.now() < drainEnd) {
    const rec = backlog[0] as (typeof backlog)[number];
    try {
      await log.publish(rec.topic, rec.key, rec.value);
      acked.push(rec.value.eventId);
      backlog.shift();
    } catch {
      retries++;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  process.send?.({ type: 'events-done', acked, unpublished: backlog.length, retries, failures });
  await log.close({ timeoutMs: 2_000 }).catch(() => undefined);
  setTimeout(() => process.exit(0), 50);
}

void main();
