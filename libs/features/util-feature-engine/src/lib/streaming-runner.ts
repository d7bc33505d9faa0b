import type { EngineEvent, FeatureRequest } from './feature-dsl';
import type { FeatureSet } from './feature-set';
import { applyEvent, createEntityState, EntityState, routeEvent } from './entity-state';
import type { ApplyOutcome } from './entity-state';
import { decodeEntityState, encodeEntityState } from './state-codec';
import type { BatchResult } from './batch-replay';
import { readInto } from './read-vector';
import type { StateLookup } from './read-vector';

export interface StreamingRunOptions {
  /** Max disorder of the arrival order: every event arrives with time > (newest time seen before it) - lateness. */
  readonly lateness: number;
  /** Keep states only as packed blobs and decode/apply/encode per event (what the online store does with Redis). */
  readonly packed?: boolean;
}

/**
 * Reference in-process streaming run: events applied in ARRIVAL order (duplicates, disorder within the lateness),
 * each request read as soon as the watermark (newest time - lateness) has passed its time, i.e. once no event
 * at or before it can still arrive. Used to prove streaming == batch, and as the model for the online path.
 */
export function runStreaming(set: FeatureSet, arrivals: readonly EngineEvent[], requests: readonly FeatureRequest[], options: StreamingRunOptions): BatchResult & { outcomes: Record<ApplyOutcome, number> } {
  const width = set.featureNames.length;
  const values = new Float64Array(requests.length * width);
  const ages = new Float64Array(requests.length * width);
  const missing = new Uint8Array(requests.length * width);
  const outcomes: Record<ApplyOutcome, number> = { applied: 0, duplicate: 0, late: 0, ignored: 0 };
  const live = new Map<string, EntityState>();
  const blobs = new Map<string, { entity: string; bytes: Uint8Array }>();
  const lookup: StateLookup = options.packed
    ? {
        get(key) {
          const b = blobs.get(key);
          return b ? decodeEntityState(set, b.entity, b.bytes) : undefined;
        },
      }
    : live;
  const order = requests.map((_, i) => i).sort((a, b) => requests[a].time - requests[b].time || a - b);
  let next = 0;
  const row = { values: new Float64Array(width), ages: new Float64Array(width), missing: new Uint8Array(width) };
  const readUpTo = (watermark: number): void => {
    while (next < order.length && requests[order[next]].time < watermark) {
      const i = order[next++];
      readInto(set, lookup, requests[i], row, 0);
      values.set(row.values, i * width);
      ages.set(row.ages, i * width);
      missing.set(row.missing, i * width);
    }
  };
  let watermark = -Infinity;
  for (const event of arrivals) {
    watermark = Math.max(watermark, event.time - options.lateness);
    readUpTo(watermark);
    for (const route of routeEvent(set, event)) {
      let state: EntityState;
      if (options.packed) {
        const b = blobs.get(route.key);
        state = b ? decodeEntityState(set, route.plan.name, b.bytes) : createEntityState(set, route.plan.name);
      } else {
        state = live.get(route.key) ?? createEntityState(set, route.plan.name);
        live.set(route.key, state);
      }
      outcomes[applyEvent(state, event)]++;
      if (options.packed) blobs.set(route.key, { entity: route.plan.name, bytes: encodeEntityState(set, state) });
    }
  }
  readUpTo(Infinity);
  return { values, ages, missing, width, outcomes };
}
