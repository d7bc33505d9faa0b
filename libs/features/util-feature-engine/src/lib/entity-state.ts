import type { EngineEvent } from './feature-dsl';
import { EntityKeyNotTokenError } from './feature-engine.errors';
import type { CompiledView, EntityPlan, FeatureSet } from './feature-set';
import { entityStateKey, entityToken } from './feature-set';
import { distinctHash, idHash53, kmvInsert } from './hash';

export const PENDING_EVENT = 0;
export const PENDING_LABEL = 1;

/**
 * Time-bucketed aggregates of one view for one entity, ascending by bucket start, plus exact "pending" entries.
 * An event stays pending until its bucket can no longer straddle a valid read time (bucket end <= horizon),
 * a label until its arrival time <= horizon; that keeps reads exact for any t >= horizon in both modes.
 */
export class ViewState {
  start: number[] = [];
  count: number[] = [];
  sum: number[] = [];
  sumSq: number[] = [];
  min: number[] = [];
  max: number[] = [];
  labelCount: number[] = [];
  labelSum: number[] = [];
  distinct: number[][] = [];
  pKind: number[] = [];
  /** event time, or label arrival time */
  pTime: number[] = [];
  /** labelled transaction time (labels only) */
  pRef: number[] = [];
  pValue: number[] = [];
  pHash: number[] = [];
}

/** Everything the engine keeps for one entity token. `maxTime - plan.lateness` is its horizon. */
export class EntityState {
  maxTime = -Infinity;
  /** event-id hashes applied within the lateness horizon (idempotency) */
  seenHash: number[] = [];
  seenTime: number[] = [];
  readonly views: ViewState[];
  constructor(readonly plan: EntityPlan) {
    this.views = plan.views.map(() => new ViewState());
  }
  get horizon(): number {
    return this.maxTime - this.plan.lateness;
  }
}

export function createEntityState(set: FeatureSet, entityName: string): EntityState {
  const plan = set.entityByName.get(entityName);
  if (!plan) throw new EntityKeyNotTokenError(entityName);
  return new EntityState(plan);
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'late' | 'ignored';

const bucketOf = (time: number, resolution: number): number => Math.floor(time / resolution) * resolution;

/** Index of bucket `s` in the ascending list, inserting an empty one if absent (searches from the end: usually recent). */
function bucketIndex(cv: CompiledView, vs: ViewState, s: number): number {
  const st = vs.start;
  let i = st.length - 1;
  while (i >= 0 && st[i] > s) i--;
  if (i >= 0 && st[i] === s) return i;
  const at = i + 1;
  if (at === st.length) {
    st.push(s);
    vs.count.push(0);
    vs.sum.push(0);
    if (cv.needSumSq) vs.sumSq.push(0);
    if (cv.needMinMax) {
      vs.min.push(Infinity);
      vs.max.push(-Infinity);
    }
    if (cv.needLabels) {
      vs.labelCount.push(0);
      vs.labelSum.push(0);
    }
    if (cv.needDistinct) vs.distinct.push([]);
    return at;
  }
  st.splice(at, 0, s);
  vs.count.splice(at, 0, 0);
  vs.sum.splice(at, 0, 0);
  if (cv.needSumSq) vs.sumSq.splice(at, 0, 0);
  if (cv.needMinMax) {
    vs.min.splice(at, 0, Infinity);
    vs.max.splice(at, 0, -Infinity);
  }
  if (cv.needLabels) {
    vs.labelCount.splice(at, 0, 0);
    vs.labelSum.splice(at, 0, 0);
  }
  if (cv.needDistinct) vs.distinct.splice(at, 0, []);
  return at;
}

function rollAndPrune(state: EntityState): void {
  const horizon = state.horizon;
  for (let vi = 0; vi < state.views.length; vi++) {
    const cv = state.plan.views[vi];
    const vs = state.views[vi];
    const res = cv.def.resolution;
    const oldest = horizon - cv.span;
    let w = 0;
    for (let i = 0; i < vs.pKind.length; i++) {
      const kind = vs.pKind[i];
      const time = vs.pTime[i];
      if (kind === PENDING_EVENT) {
        const s = bucketOf(time, res);
        if (s + res <= horizon) {
          if (s > oldest) {
            const b = bucketIndex(cv, vs, s);
            const v = vs.pValue[i];
            vs.count[b] += 1;
            vs.sum[b] += v;
            if (cv.needSumSq) vs.sumSq[b] += v * v;
            if (cv.needMinMax) {
              if (v < vs.min[b]) vs.min[b] = v;
              if (v > vs.max[b]) vs.max[b] = v;
            }
            if (cv.needDistinct && vs.pHash[i] >= 0) kmvInsert(vs.distinct[b], vs.pHash[i], cv.def.distinctK);
          }
          continue;
        }
      } else if (time <= horizon) {
        const s = bucketOf(vs.pRef[i], res);
        if (s > oldest) {
          const b = bucketIndex(cv, vs, s);
          vs.labelCount[b] += 1;
          vs.labelSum[b] += vs.pValue[i];
        }
        continue;
      }
      if (w !== i) {
        vs.pKind[w] = kind;
        vs.pTime[w] = time;
        vs.pRef[w] = vs.pRef[i];
        vs.pValue[w] = vs.pValue[i];
        vs.pHash[w] = vs.pHash[i];
      }
      w++;
    }
    if (w !== vs.pKind.length) {
      vs.pKind.length = w;
      vs.pTime.length = w;
      vs.pRef.length = w;
      vs.pValue.length = w;
      vs.pHash.length = w;
    }
    // Buckets no future read can reach (reads are valid only for t >= horizon).
    let drop = 0;
    while (drop < vs.start.length && vs.start[drop] <= oldest) drop++;
    if (drop > 0) {
      vs.start.splice(0, drop);
      vs.count.splice(0, drop);
      vs.sum.splice(0, drop);
      if (cv.needSumSq) vs.sumSq.splice(0, drop);
      if (cv.needMinMax) {
        vs.min.splice(0, drop);
        vs.max.splice(0, drop);
      }
      if (cv.needLabels) {
        vs.labelCount.splice(0, drop);
        vs.labelSum.splice(0, drop);
      }
      if (cv.needDistinct) vs.distinct.splice(0, drop);
    }
  }
  let w = 0;
  for (let i = 0; i < state.seenHash.length; i++) {
    if (state.seenTime[i] >= horizon) {
      state.seenHash[w] = state.seenHash[i];
      state.seenTime[w] = state.seenTime[i];
      w++;
    }
  }
  state.seenHash.length = w;
  state.seenTime.length = w;
}

export function hasSeen(state: EntityState, eventId: string, time: number, hash = idHash53(eventId)): boolean {
  const st = state.seenTime;
  for (let i = st.length - 1; i >= 0; i--) {
    if (st[i] === time && state.seenHash[i] === hash) return true;
  }
  return false;
}

/**
 * Streaming update of one entity's state. Idempotent by eventId within the lateness horizon; events older than
 * the horizon are dropped ('late'). Order of events within the horizon does not change any read.
 */
export function applyEvent(state: EntityState, event: EngineEvent): ApplyOutcome {
  const plan = state.plan;
  if (!plan.consumes.has(event.type)) return 'ignored';
  if (event.time < state.maxTime - plan.lateness) return 'late';
  const h = idHash53(event.eventId);
  if (hasSeen(state, event.eventId, event.time, h)) return 'duplicate';
  let used = false;
  for (let vi = 0; vi < plan.views.length; vi++) {
    const cv = plan.views[vi];
    const vs = state.views[vi];
    if (cv.eventTypes.has(event.type)) {
      const v = cv.def.value ? cv.def.value(event) : 1;
      let dh = -1;
      if (cv.needDistinct && cv.def.distinct) {
        const key = cv.def.distinct(event);
        if (key !== undefined) dh = distinctHash(key);
      }
      vs.pKind.push(PENDING_EVENT);
      vs.pTime.push(event.time);
      vs.pRef.push(0);
      vs.pValue.push(v);
      vs.pHash.push(dh);
      used = true;
    } else if (cv.labelTypes.has(event.type) && event.ref) {
      const v = cv.def.labels?.value ? cv.def.labels.value(event) : 1;
      vs.pKind.push(PENDING_LABEL);
      vs.pTime.push(event.time);
      vs.pRef.push(event.ref.time);
      vs.pValue.push(v);
      vs.pHash.push(-1);
      used = true;
    }
  }
  if (!used) return 'ignored';
  state.seenHash.push(h);
  state.seenTime.push(event.time);
  if (event.time > state.maxTime) {
    state.maxTime = event.time;
    rollAndPrune(state);
  }
  return 'applied';
}

const EMAIL = /@[^@\s]+\.[a-z]{2,}$/i;
const DIGITS_13_19 = /^\d{13,19}$/;

function luhnValid(s: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = s.length - 1; i >= 0; i--) {
    let d = s.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** A key that looks like an e-mail address or a Luhn-valid card number is raw PII, not a token. */
export function looksLikeRawPii(token: string): boolean {
  return EMAIL.test(token) || (DIGITS_13_19.test(token) && luhnValid(token));
}

export interface EntityRoute {
  readonly plan: EntityPlan;
  readonly token: string;
  readonly key: string;
}

/** The entity states an event updates (the online store read-modify-writes exactly these keys). */
export function routeEvent(set: FeatureSet, event: EngineEvent): EntityRoute[] {
  const plans = set.routes.get(event.type);
  if (!plans) return [];
  const out: EntityRoute[] = [];
  for (const plan of plans) {
    const token = entityToken(plan, event);
    if (token === undefined) continue;
    if (looksLikeRawPii(token)) throw new EntityKeyNotTokenError(plan.name);
    out.push({ plan, token, key: entityStateKey(set, plan.name, token) });
  }
  return out;
}

/** The entity states a read for this request needs (all entities of the set the request has keys for). */
export function requestEntityKeys(set: FeatureSet, request: Pick<EngineEvent, 'entities'>): EntityRoute[] {
  const out: EntityRoute[] = [];
  for (const plan of set.entities) {
    const token = entityToken(plan, request);
    if (token === undefined) continue;
    if (looksLikeRawPii(token)) throw new EntityKeyNotTokenError(plan.name);
    out.push({ plan, token, key: entityStateKey(set, plan.name, token) });
  }
  return out;
}
