import { z } from 'zod';
import { regionSchema } from '@risk/contract-events';
import type { EngineEvent } from '@risk/feature-engine';

/**
 * Engine events on the log (replays and backfills of sources that have no contract event, e.g. the handbook CSV):
 * `{ kind: 'engine-event', region, event }`. Accepted only by a feature service configured for them.
 */
export const ENGINE_EVENT_KIND = 'engine-event';

const scalar = z.union([z.number(), z.string(), z.boolean()]);

export const engineEventEnvelopeSchema = z.object({
  kind: z.literal(ENGINE_EVENT_KIND),
  region: regionSchema,
  event: z.object({
    eventId: z.string().min(1).max(200),
    type: z.string().min(1).max(100),
    time: z.number().finite(),
    entities: z.record(z.string(), z.string().min(1).max(200)),
    values: z.record(z.string(), scalar),
    ref: z.object({ eventId: z.string().min(1), time: z.number().finite() }).optional(),
  }),
});

export type EngineEventEnvelope = { kind: typeof ENGINE_EVENT_KIND; region: string; event: EngineEvent };

export function engineEventEnvelope(region: string, event: EngineEvent): EngineEventEnvelope {
  return { kind: ENGINE_EVENT_KIND, region, event };
}
