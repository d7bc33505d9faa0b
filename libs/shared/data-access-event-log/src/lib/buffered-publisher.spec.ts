import { BufferedPublisher } from './buffered-publisher';
import type { EventRecord } from './event-log.types';

const rec = (i: number): EventRecord<object> => ({ topic: 't', key: `k${i}`, value: { i } });

describe('BufferedPublisher', () => {
  it('batches offered records into few sends and counts them as published', async () => {
    const sent: number[] = [];
    const p = new BufferedPublisher({ maxBuffered: 100, maxBatch: 10, flushTimeoutMs: 100, send: async (b) => void sent.push(b.length) });
    for (let i = 0; i < 25; i++) expect(p.offer(rec(i))).toBe(true);
    await p.drain(1000);
    expect(sent).toEqual([10, 10, 5]);
    expect(p.stats()).toEqual({ published: 25, dropped: 0, buffered: 0 });
  });

  it('drops beyond the bound and drops failed batches, counting both', async () => {
    const p = new BufferedPublisher({
      maxBuffered: 5,
      maxBatch: 100,
      flushTimeoutMs: 100,
      send: () => Promise.reject(new Error('down')),
    });
    const accepted = Array.from({ length: 8 }, (_, i) => p.offer(rec(i)));
    expect(accepted.filter(Boolean)).toHaveLength(5);
    await p.drain(1000);
    expect(p.stats()).toEqual({ published: 0, dropped: 8, buffered: 0 });
  });

  it('abandons a hung send after the flush timeout', async () => {
    const p = new BufferedPublisher({ maxBuffered: 5, maxBatch: 100, flushTimeoutMs: 30, send: () => new Promise(() => undefined) });
    p.offer(rec(1));
    await p.drain(1000);
    expect(p.stats()).toEqual({ published: 0, dropped: 1, buffered: 0 });
  });
});
