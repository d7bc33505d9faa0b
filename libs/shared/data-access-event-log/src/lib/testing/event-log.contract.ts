import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { dlqTopicOf, type DeadLetter, type EventLog, type EventMessage, type Subscription } from '../event-log.types';
import { waitFor } from './wait-for';

export interface ContractLogOptions {
  publishMode?: 'blocking' | 'non-blocking';
  partitions?: number;
}

/** What an adapter's int-spec supplies so the one contract suite can drive it. */
export interface EventLogContractHarness {
  create(options?: ContractLogOptions): Promise<EventLog>;
  /** A non-blocking log on a backend the test may take down, and the way to take it down. */
  createDownable(): Promise<{ log: EventLog; takeDown: () => Promise<void>; dispose: () => Promise<void>; startsUp: boolean }>;
  cleanup(): Promise<void>;
  /** Short claim/session settings the suite passes to subscribe so redelivery after a crash is quick. */
  claimIdleMs: number;
  /** Upper bound for one expectation to become true (rebalances on Kafka take seconds). */
  settleMs: number;
}

interface Seq {
  seq: number;
}

const PARTITIONS = 4;

export function describeEventLogContract(name: string, harness: () => EventLogContractHarness, enabled = true): void {
  const describeOrSkip = enabled ? describe : describe.skip;
  describeOrSkip(`EventLog contract: ${name}`, () => {
    let h: EventLogContractHarness;
    let log: EventLog;
    const subs: Subscription[] = [];
    const topic = (): string => `ct-${randomUUID().slice(0, 8)}`;
    const track = (s: Subscription): Subscription => (subs.push(s), s);

    beforeAll(async () => {
      h = harness();
      log = await h.create({ partitions: PARTITIONS });
    });

    afterEach(async () => {
      await Promise.all(subs.splice(0).map((s) => s.stop().catch(() => undefined)));
    });

    afterAll(async () => {
      await log?.close();
      await h?.cleanup();
    });

    it('round-trips a record with its key, headers, partition and coordinates', async () => {
      const t = topic();
      const received: EventMessage[] = [];
      track(await log.subscribe({ group: 'g', consumer: 'c1', topics: [t], handler: async (m) => void received.push(m), blockMs: 100 }));
      const before = Date.now();
      await log.publish(t, 'card-1', { amount: 12.5, nested: { ok: true } }, { 'x-event-id': 'e-1' });
      await waitFor(() => received.length === 1, h.settleMs, 'the record');
      const [m] = received;
      expect(m).toMatchObject({ topic: t, key: 'card-1', value: { amount: 12.5, nested: { ok: true } }, deliveryCount: 1 });
      expect(m.headers['x-event-id']).toBe('e-1');
      expect(m.partition).toBe(log.partitionFor(t, 'card-1'));
      expect(typeof m.id).toBe('string');
      expect(m.timestamp).toBeGreaterThanOrEqual(before - 1000);
    });

    it('keeps per-key order within a partition', async () => {
      const t = topic();
      const keys = ['a', 'b', 'c', 'd', 'e'];
      const records = Array.from({ length: 300 }, (_, i) => ({ topic: t, key: keys[i % keys.length], value: { seq: i } }));
      await log.publishBatch(records);
      const seen = new Map<string, number[]>();
      let total = 0;
      track(
        await log.subscribe<Seq>({
          group: 'g',
          consumer: 'c1',
          topics: [t],
          batchSize: 17,
          blockMs: 100,
          handler: async (m) => {
            seen.set(m.key, [...(seen.get(m.key) ?? []), m.value.seq]);
            total++;
          },
        }),
      );
      await waitFor(() => total >= 300, h.settleMs, 'all 300 records');
      for (const k of keys) {
        const got = seen.get(k) ?? [];
        expect(got).toEqual(records.filter((r) => r.key === k).map((r) => r.value.seq));
      }
    });

    it('shares work inside a group and gives every group everything', async () => {
      const t = topic();
      const byConsumer = { c1: new Set<number>(), c2: new Set<number>(), other: new Set<number>() };
      const slow = (set: Set<number>) => async (m: EventMessage<Seq>) => {
        set.add(m.value.seq);
        await new Promise((r) => setTimeout(r, 2));
      };
      track(await log.subscribe<Seq>({ group: 'shared', consumer: 'c1', topics: [t], batchSize: 5, blockMs: 50, handler: slow(byConsumer.c1) }));
      track(await log.subscribe<Seq>({ group: 'shared', consumer: 'c2', topics: [t], batchSize: 5, blockMs: 50, handler: slow(byConsumer.c2) }));
      track(await log.subscribe<Seq>({ group: 'other', consumer: 'c1', topics: [t], batchSize: 50, blockMs: 50, handler: slow(byConsumer.other) }));
      // Publish in rounds until both members of the group got work (a Kafka rebalance can take a while), then check totals.
      let n = 0;
      for (let round = 0; round < 500 && (byConsumer.c1.size === 0 || byConsumer.c2.size === 0 || n < 400); round++) {
        await log.publishBatch(Array.from({ length: 50 }, (_, i) => ({ topic: t, key: `k${(n + i) % 64}`, value: { seq: n + i } })));
        n += 50;
        await new Promise((r) => setTimeout(r, round < 8 ? 20 : 100));
      }
      const union = (): number => new Set([...byConsumer.c1, ...byConsumer.c2]).size;
      await waitFor(() => union() === n && byConsumer.other.size === n, h.settleMs, 'both groups to see all records');
      expect(byConsumer.c1.size).toBeGreaterThan(0);
      expect(byConsumer.c2.size).toBeGreaterThan(0);
      expect(byConsumer.other.size).toBe(n);
    });

    it('redelivers a message whose handler failed once (at-least-once, nothing lost)', async () => {
      const t = topic();
      const handled: number[] = [];
      const attempts = new Map<number, number[]>();
      let failedOnce = false;
      track(
        await log.subscribe<Seq>({
          group: 'g',
          consumer: 'c1',
          topics: [t],
          blockMs: 100,
          handler: async (m) => {
            attempts.set(m.value.seq, [...(attempts.get(m.value.seq) ?? []), m.deliveryCount]);
            if (m.value.seq === 3 && !failedOnce) {
              failedOnce = true;
              throw new Error('transient');
            }
            handled.push(m.value.seq);
          },
        }),
      );
      await log.publishBatch(Array.from({ length: 6 }, (_, i) => ({ topic: t, key: 'same-key', value: { seq: i } })));
      await waitFor(() => handled.length === 6, h.settleMs, 'all six handled');
      expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
      expect(attempts.get(3)).toEqual([1, 2]);
      await waitFor(async () => total(await log.lag('g', [t])) === 0, h.settleMs, 'lag 0 after handling');
    });

    it('commits only after the handler resolved: a crashed consumer’s un-acked messages go to another consumer', async () => {
      const t = topic();
      const n = 10;
      const handledByA: number[] = [];
      let hung = false;
      const a = await log.subscribe<Seq>({
        group: 'crash',
        consumer: 'a',
        topics: [t],
        blockMs: 100,
        claimIdleMs: h.claimIdleMs,
        handler: async (m) => {
          if (m.value.seq === 4) {
            hung = true;
            await new Promise(() => undefined); // the "state update" never completes: the process dies here
          }
          handledByA.push(m.value.seq);
        },
      });
      await log.publishBatch(Array.from({ length: n }, (_, i) => ({ topic: t, key: 'one-key', value: { seq: i } })));
      await waitFor(() => hung, h.settleMs, 'consumer a to hang mid-batch');
      await a.abort();
      const handledByB = new Set<number>();
      track(
        await log.subscribe<Seq>({
          group: 'crash',
          consumer: 'b',
          topics: [t],
          blockMs: 100,
          claimIdleMs: h.claimIdleMs,
          handler: async (m) => void handledByB.add(m.value.seq),
        }),
      );
      const notCompletedByA = Array.from({ length: n }, (_, i) => i).filter((i) => !handledByA.includes(i));
      expect(notCompletedByA).toContain(4);
      await waitFor(() => notCompletedByA.every((i) => handledByB.has(i)), h.settleMs, 'b to receive every message a did not complete');
      expect(new Set([...handledByA, ...handledByB]).size).toBe(n);
      await waitFor(async () => {
        const lag = await log.lag('crash', [t]);
        return total(lag) === 0 && lag.every((l) => l.pending === 0);
      }, h.settleMs, 'nothing left pending');
    });

    it('stops gracefully: in-flight messages finish and are committed, the next consumer gets exactly the rest', async () => {
      const t = topic();
      const n = 60;
      const byA: number[] = [];
      let inFlight = 0;
      const a = await log.subscribe<Seq>({
        group: 'graceful',
        consumer: 'a',
        topics: [t],
        batchSize: 5,
        blockMs: 100,
        handler: async (m) => {
          inFlight++;
          await new Promise((r) => setTimeout(r, 15));
          byA.push(m.value.seq);
          inFlight--;
        },
      });
      await log.publishBatch(Array.from({ length: n }, (_, i) => ({ topic: t, key: `k${i % 3}`, value: { seq: i } })));
      await waitFor(() => byA.length >= 5, h.settleMs, 'a to be mid-stream');
      await a.stop();
      expect(inFlight).toBe(0);
      const countAtStop = byA.length;
      expect(countAtStop).toBeLessThan(n);
      const byB: number[] = [];
      track(await log.subscribe<Seq>({ group: 'graceful', consumer: 'b', topics: [t], blockMs: 100, handler: async (m) => void byB.push(m.value.seq) }));
      await waitFor(() => byA.length + byB.length >= n, h.settleMs, 'b to take the rest');
      await new Promise((r) => setTimeout(r, 200));
      expect(byA.length).toBe(countAtStop);
      expect(byB.filter((s) => byA.includes(s))).toEqual([]);
      expect(new Set([...byA, ...byB]).size).toBe(n);
    });

    it('bounds a graceful stop: past timeoutMs a hung handler is abandoned uncommitted and redelivered', async () => {
      const t = topic();
      let hung = false;
      const a = await log.subscribe({
        group: 'bounded', consumer: 'a', topics: [t], blockMs: 100, claimIdleMs: h.claimIdleMs,
        handler: () => ((hung = true), new Promise<void>(() => undefined)),
      });
      await log.publish(t, 'k', { seq: 1 });
      await waitFor(() => hung, h.settleMs, 'a to hang');
      const t0 = performance.now();
      await a.stop({ timeoutMs: 300 });
      expect(performance.now() - t0).toBeLessThan(h.claimIdleMs + 3000);
      const got: EventMessage[] = [];
      track(await log.subscribe({ group: 'bounded', consumer: 'b', topics: [t], blockMs: 100, claimIdleMs: h.claimIdleMs, handler: async (m) => void got.push(m) }));
      await waitFor(() => got.length === 1, h.settleMs, 'the abandoned message on b');
      expect(got[0].value).toEqual({ seq: 1 });
    });

    it('dead-letters a poison message with its error and coordinates, and keeps consuming', async () => {
      const t = topic();
      const handled: number[] = [];
      let poisonAttempts = 0;
      track(
        await log.subscribe<Seq>({
          group: 'g',
          consumer: 'c1',
          topics: [t],
          blockMs: 100,
          maxDeliveries: 3,
          retryBackoffMs: 1,
          handler: async (m) => {
            if (m.value.seq === 2) {
              poisonAttempts++;
              throw Object.assign(new Error('cannot apply event'), { code: 'BAD_EVENT' });
            }
            handled.push(m.value.seq);
          },
        }),
      );
      const dead: EventMessage<DeadLetter>[] = [];
      track(await log.subscribe<DeadLetter>({ group: 'dlq-reader', consumer: 'r', topics: [dlqTopicOf(t)], blockMs: 100, handler: async (m) => void dead.push(m) }));
      await log.publishBatch(Array.from({ length: 5 }, (_, i) => ({ topic: t, key: 'poison-key', value: { seq: i } })));
      await waitFor(() => handled.length === 4 && dead.length === 1, h.settleMs, 'the rest handled and one dead letter');
      expect(handled).toEqual([0, 1, 3, 4]);
      expect(poisonAttempts).toBe(3);
      const d = dead[0];
      expect(d.key).toBe('poison-key');
      expect(d.value.error).toMatchObject({ message: 'cannot apply event', code: 'BAD_EVENT' });
      expect(d.value.original).toMatchObject({ topic: t, key: 'poison-key', value: { seq: 2 }, deliveryCount: 3, partition: log.partitionFor(t, 'poison-key') });
      expect(typeof d.value.original.id).toBe('string');
      expect(d.value.group).toBe('g');
      await waitFor(async () => total(await log.lag('g', [t])) === 0, h.settleMs, 'the poison message committed');
    });

    it('reports lag per topic and partition', async () => {
      const t = topic();
      await log.publishBatch(Array.from({ length: 40 }, (_, i) => ({ topic: t, key: `k${i}`, value: { seq: i } })));
      const before = await log.lag('lagger', [t]);
      expect(before).toHaveLength(log.partitionsOf(t));
      expect(new Set(before.map((l) => l.partition))).toEqual(new Set([0, 1, 2, 3]));
      expect(total(before)).toBe(40);
      let n = 0;
      const sub = track(await log.subscribe({ group: 'lagger', consumer: 'c1', topics: [t], blockMs: 100, handler: async () => void n++ }));
      await waitFor(() => n === 40, h.settleMs, 'all consumed');
      await waitFor(async () => total(await sub.lag()) === 0, h.settleMs, 'lag back to 0');
    });

    it('never blocks or throws in non-blocking mode while the backend is down, and counts drops', async () => {
      const { log: nb, takeDown, dispose, startsUp } = await h.createDownable();
      try {
        const t = topic();
        if (startsUp) {
          // While up, records get through (retrying: on a loaded box the first flush may time out and drop).
          await waitFor(async () => {
            for (let i = 0; i < 10; i++) await nb.publish(t, `k${i}`, { i });
            await nb.flush(2000);
            return nb.publisherStats().published >= 10;
          }, h.settleMs, 'publishing while the backend is up');
        }
        const upStats = nb.publisherStats();
        await takeDown();
        const started = performance.now();
        const timings = await offerAndPublish(nb, t, 2000);
        const elapsed = performance.now() - started;
        await nb.flush(5000);
        const stats = nb.publisherStats();
        // Percentiles, not the max: on a shared 2-core box a GC scavenge can stall any line for 10+ ms.
        expect(percentile(timings, 0.5)).toBeLessThan(0.5);
        expect(percentile(timings, 0.99)).toBeLessThan(5);
        expect(elapsed).toBeLessThan(2000);
        expect(stats.published).toBe(upStats.published);
        expect(stats.dropped - upStats.dropped).toBe(4000);
        expect(stats.buffered).toBe(0);
      } finally {
        await dispose();
      }
    });
  });
}

/** Offers and non-blocking-publishes n records, returning the time each pair of calls held the caller (ms). */
export async function offerAndPublish(log: EventLog, topic: string, n: number): Promise<number[]> {
  const timings: number[] = [];
  const results: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    results.push(log.offer(topic, `k${i}`, { i }));
    await log.publish(topic, `k${i}`, { i });
    timings.push(performance.now() - t0);
    if (i % 200 === 0) await new Promise((r) => setTimeout(r, 5)); // let flushes hit the dead backend
  }
  expect(results.every((r) => typeof r === 'boolean')).toBe(true);
  return timings;
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function total(lag: { lag: number }[]): number {
  return lag.reduce((s, l) => s + l.lag, 0);
}
