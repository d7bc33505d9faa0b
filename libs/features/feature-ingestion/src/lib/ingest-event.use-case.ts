import { parseRiskEvent } from '@risk/contract-events';
import type { EngineEvent } from '@risk/feature-engine';
import { toFeatureEvents } from '@risk/feature-sets';
import { assertSameRegion } from '@risk/util-privacy';
import type { ApplySummary } from '@risk/online-store';
import { engineEventEnvelopeSchema, ENGINE_EVENT_KIND } from './engine-event.envelope';
import { IngestEventInvalidError } from './ingestion.errors';

/** The write side of the online store the use case needs (OnlineFeatureStore). */
export interface FeatureStateWriter {
  submit(event: EngineEvent): Promise<ApplySummary>;
}

export interface IngestEventDeps {
  readonly store: FeatureStateWriter;
  /** The region this service serves: events of another region are refused (data residency). */
  readonly region: string;
  /** Accept `engine-event` envelopes (replays/backfills); contract events are always accepted. */
  readonly acceptEngineEvents: boolean;
  /** Called after the state update of each event is durable (metrics, replay progress). */
  readonly onApplied?: (events: readonly EngineEvent[]) => void;
}

export interface IngestResult {
  readonly engineEvents: number;
}

/**
 * One event from the log → engine events → online state. Resolves only once every touched entity state is written
 * (the consumer commits after that). Invalid or foreign-region events throw: the event log retries them and then
 * dead-letters them with the error, without stopping the consumer. Late labels (chargebacks, confirmed labels)
 * carry `ref` to the original checkout and land in the label-delayed windows through the engine.
 */
export class IngestEventUseCase {
  constructor(private readonly deps: IngestEventDeps) {}

  async execute(value: unknown): Promise<IngestResult> {
    const events = this.toEngineEvents(value);
    if (events.length === 0) return { engineEvents: 0 };
    await Promise.all(events.map((e) => this.deps.store.submit(e)));
    this.deps.onApplied?.(events);
    return { engineEvents: events.length };
  }

  toEngineEvents(value: unknown): EngineEvent[] {
    if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === ENGINE_EVENT_KIND) {
      if (!this.deps.acceptEngineEvents) throw new IngestEventInvalidError('engine-event envelopes are not accepted by this feature service');
      const parsed = engineEventEnvelopeSchema.safeParse(value);
      if (!parsed.success) {
        throw new IngestEventInvalidError(
          'invalid engine-event envelope',
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      assertSameRegion(this.deps.region, parsed.data.region, `event ${parsed.data.event.eventId}`);
      return [parsed.data.event as EngineEvent];
    }
    const event = parseRiskEvent(value);
    assertSameRegion(this.deps.region, event.region, `event ${event.eventId}`);
    return toFeatureEvents(event);
  }
}
