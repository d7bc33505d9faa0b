import type { EngineEvent, FeatureRequest } from './feature-dsl';
import { EntityKeyNotTokenError, UnsortedInputError } from './feature-engine.errors';
import type { EntityPlan, FeatureSet } from './feature-set';
import { entityStateKey, entityToken } from './feature-set';
import { applyEvent, EntityState, looksLikeRawPii } from './entity-state';
import type { FeatureRead, TokenStateLookup } from './read-vector';
import { readInto } from './read-vector';

export type RowSink = (requestIndex: number, row: FeatureRead, offset: number) => void;

/**
 * Point-in-time replay through the streaming code: events are applied in time order to the same per-entity
 * states the online path uses, and each request is read once every event with time <= its time has been applied.
 * Push events and requests in non-decreasing time order (labels at their arrival time).
 */
export class BatchReplayer implements TokenStateLookup {
  /** per entity plan: token -> state */
  private readonly byPlan: Map<string, EntityState>[];
  private lastEventTime = -Infinity;
  private lastRequestTime = -Infinity;
  private queue: { request: FeatureRequest; index: number }[] = [];
  private head = 0;
  private readonly row: FeatureRead;
  applied = 0;
  duplicates = 0;
  rows = 0;

  constructor(
    private readonly set: FeatureSet,
    private readonly sink: RowSink,
  ) {
    this.byPlan = set.entities.map(() => new Map<string, EntityState>());
    const n = set.featureNames.length;
    this.row = { values: new Float64Array(n), ages: new Float64Array(n), missing: new Uint8Array(n) };
  }

  pushEvent(event: EngineEvent): void {
    if (event.time < this.lastEventTime) {
      throw new UnsortedInputError(`event ${event.eventId} at ${event.time} arrived after ${this.lastEventTime}: batch input must be time-ordered`);
    }
    this.flushBefore(event.time);
    this.lastEventTime = event.time;
    const plans = this.set.routes.get(event.type);
    if (!plans) return;
    for (let p = 0; p < plans.length; p++) {
      const plan = plans[p];
      const token = entityToken(plan, event);
      if (token === undefined) continue;
      const states = this.byPlan[plan.index];
      let state = states.get(token);
      if (!state) {
        if (looksLikeRawPii(token)) throw new EntityKeyNotTokenError(plan.name);
        state = new EntityState(plan);
        states.set(token, state);
      }
      const outcome = applyEvent(state, event);
      if (outcome === 'applied') this.applied++;
      else if (outcome === 'duplicate') this.duplicates++;
    }
  }

  getState(plan: EntityPlan, token: string): EntityState | undefined {
    return this.byPlan[plan.index].get(token);
  }

  /** States by storage key (to warm an online store from a backfill). */
  *entries(): IterableIterator<[string, EntityState]> {
    for (const plan of this.set.entities) {
      for (const [token, state] of this.byPlan[plan.index]) yield [entityStateKey(this.set, plan.name, token), state];
    }
  }

  /** Queue a read at the request's own time; it runs when a later event arrives or at finish(). */
  pushRequest(request: FeatureRequest, index: number): void {
    if (request.time < this.lastRequestTime || request.time < this.lastEventTime) {
      throw new UnsortedInputError(`request ${request.eventId} at ${request.time} is behind the replay clock`);
    }
    this.lastRequestTime = request.time;
    this.queue.push({ request, index });
  }

  finish(): void {
    this.flushBefore(Infinity);
  }

  private flushBefore(time: number): void {
    const q = this.queue;
    while (this.head < q.length && q[this.head].request.time < time) {
      const { request, index } = q[this.head++];
      readInto(this.set, this, request, this.row, 0);
      this.rows++;
      this.sink(index, this.row, 0);
    }
    if (this.head === q.length) {
      q.length = 0;
      this.head = 0;
    } else if (this.head > 4096) {
      q.splice(0, this.head);
      this.head = 0;
    }
  }
}

export interface BatchResult {
  /** rows x features, row-major, in the order of the `requests` argument */
  readonly values: Float64Array;
  readonly ages: Float64Array;
  readonly missing: Uint8Array;
  readonly width: number;
}

/** Vector of every request as of its own time (events and requests in any order; they are sorted here). */
export function computeBatch(set: FeatureSet, events: readonly EngineEvent[], requests: readonly FeatureRequest[]): BatchResult {
  const width = set.featureNames.length;
  const values = new Float64Array(requests.length * width);
  const ages = new Float64Array(requests.length * width);
  const missing = new Uint8Array(requests.length * width);
  const replayer = new BatchReplayer(set, (index, row) => {
    values.set(row.values, index * width);
    ages.set(row.ages, index * width);
    missing.set(row.missing, index * width);
  });
  const evOrder = events.map((_, i) => i).sort((a, b) => events[a].time - events[b].time || a - b);
  const rqOrder = requests.map((_, i) => i).sort((a, b) => requests[a].time - requests[b].time || a - b);
  let e = 0;
  for (const ri of rqOrder) {
    const t = requests[ri].time;
    while (e < evOrder.length && events[evOrder[e]].time <= t) replayer.pushEvent(events[evOrder[e++]]);
    replayer.pushRequest(requests[ri], ri);
  }
  while (e < evOrder.length) replayer.pushEvent(events[evOrder[e++]]);
  replayer.finish();
  return { values, ages, missing, width };
}
