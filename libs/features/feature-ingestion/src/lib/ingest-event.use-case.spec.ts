import { exampleCheckoutStarted, exampleLabelConfirmed } from '@risk/contract-events';
import type { EngineEvent } from '@risk/feature-engine';
import { checkoutEventId } from '@risk/feature-sets';
import type { ApplySummary } from '@risk/online-store';
import { engineEventEnvelope } from './engine-event.envelope';
import { IngestEventUseCase } from './ingest-event.use-case';

/** In-memory writer: records what the use case hands to the store (the store itself is tested against Redis). */
class RecordingWriter {
  readonly events: EngineEvent[] = [];
  async submit(e: EngineEvent): Promise<ApplySummary> {
    this.events.push(e);
    return { applied: 1, duplicate: 0, late: 0, ignored: 0, writes: 1, conflicts: 0 };
  }
}

const handbookTx: EngineEvent = { eventId: '42', type: 'handbook.transaction', time: 1_522_540_800_000, entities: { customer: '1', terminal: '2' }, values: { amount: 10 } };

describe('IngestEventUseCase', () => {
  it('maps a contract checkout.started onto the engine event the scorer reads with (same event id)', async () => {
    const w = new RecordingWriter();
    const uc = new IngestEventUseCase({ store: w, region: 'eu', acceptEngineEvents: false });
    const e = exampleCheckoutStarted();
    expect(await uc.execute(e)).toEqual({ engineEvents: 1 });
    expect(w.events[0]).toMatchObject({ eventId: checkoutEventId(e.payload.checkoutId), type: 'checkout.started', time: Date.parse(e.occurredAt) });
  });

  it('gives a late label a ref to the original checkout (label-delayed windows)', async () => {
    const w = new RecordingWriter();
    const uc = new IngestEventUseCase({ store: w, region: 'eu', acceptEngineEvents: false });
    const l = exampleLabelConfirmed();
    await uc.execute(l);
    expect(w.events[0].ref).toEqual({ eventId: checkoutEventId(l.payload.original.checkoutId), time: Date.parse(l.payload.original.occurredAt) });
  });

  it('refuses events of another region (residency) and invalid payloads, writing nothing', async () => {
    const w = new RecordingWriter();
    const uc = new IngestEventUseCase({ store: w, region: 'eu', acceptEngineEvents: true });
    await expect(uc.execute({ ...exampleCheckoutStarted(), region: 'us' })).rejects.toMatchObject({ code: 'RESIDENCY_VIOLATION' });
    await expect(uc.execute(engineEventEnvelope('apac', handbookTx))).rejects.toMatchObject({ code: 'RESIDENCY_VIOLATION' });
    await expect(uc.execute({ nope: true })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(uc.execute({ kind: 'engine-event', region: 'eu', event: { eventId: 1 } })).rejects.toMatchObject({ code: 'INGEST_EVENT_INVALID' });
    expect(w.events).toEqual([]);
  });

  it('accepts engine-event envelopes only when configured (replays/backfills)', async () => {
    const w = new RecordingWriter();
    await expect(new IngestEventUseCase({ store: w, region: 'eu', acceptEngineEvents: false }).execute(engineEventEnvelope('eu', handbookTx))).rejects.toMatchObject({
      code: 'INGEST_EVENT_INVALID',
    });
    const applied: string[] = [];
    const uc = new IngestEventUseCase({ store: w, region: 'eu', acceptEngineEvents: true, onApplied: (es) => applied.push(...es.map((e) => e.eventId)) });
    await uc.execute(JSON.parse(JSON.stringify(engineEventEnvelope('eu', handbookTx))));
    expect(w.events).toEqual([handbookTx]);
    expect(applied).toEqual(['42']);
  });
});
