import type { FeatureRequest } from './feature-dsl';
import type { CompiledView, EntityPlan, FeatureSet } from './feature-set';
import { entityStateKey, entityToken } from './feature-set';
import { EntityState, hasSeen, PENDING_EVENT, ViewState } from './entity-state';
import { distinctHash, idHash53, kmvEstimate, kmvInsert } from './hash';

/** Where decoded entity states come from: a Map keyed by `entityStateKey`, or a lookup by plan and token. */
export type StateLookup = { get(key: string): EntityState | undefined } | TokenStateLookup;

/** Keyless lookup (saves building key strings on hot loops such as batch replay). */
export interface TokenStateLookup {
  getState(plan: EntityPlan, token: string): EntityState | undefined;
}

export interface FeatureRead {
  readonly values: Float64Array;
  /** ms since the newest event of the feature's view strictly before t (bucket start, within the view's span); -1 when none; 0 for request features */
  readonly ages: Float64Array;
  /** 1 when the default was served (no data, undefined aggregate, stale, or entity unavailable) */
  readonly missing: Uint8Array;
}

export interface ReadOptions {
  /** Entities whose state could not be fetched (timeout): their features get defaults and missing=1. */
  readonly unavailable?: ReadonlySet<string>;
}

/** Per-window accumulators of one view for the read in progress (reused between reads). */
class ViewAcc {
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  min: Float64Array;
  max: Float64Array;
  labelCount: Float64Array;
  labelSum: Float64Array;
  newest: Float64Array;
  distinct: number[][];
  lastSeen = -Infinity;
  valid = false;
  constructor(n: number) {
    this.count = new Float64Array(n);
    this.sum = new Float64Array(n);
    this.sumSq = new Float64Array(n);
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
    this.labelCount = new Float64Array(n);
    this.labelSum = new Float64Array(n);
    this.newest = new Float64Array(n);
    this.distinct = Array.from({ length: n }, () => []);
  }
  reset(): void {
    this.count.fill(0);
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.labelCount.fill(0);
    this.labelSum.fill(0);
    this.newest.fill(-Infinity);
    for (const d of this.distinct) d.length = 0;
    this.lastSeen = -Infinity;
    this.valid = true;
  }
}

interface Reader {
  accs: ViewAcc[][];
  tokens: (string | undefined)[];
}

const readers = new WeakMap<FeatureSet, Reader>();

function readerFor(set: FeatureSet): Reader {
  let r = readers.get(set);
  if (!r) {
    r = { accs: set.entities.map((e) => e.views.map((v) => new ViewAcc(v.windows.length))), tokens: set.entities.map(() => undefined) };
    readers.set(set, r);
  }
  return r;
}

/** Smallest window index containing a bucket of this age, or -1. */
function windowOf(windows: readonly number[], age: number): number {
  for (let k = 0; k < windows.length; k++) if (age < windows[k]) return k;
  return -1;
}

function addEvent(cv: CompiledView, acc: ViewAcc, k: number, s: number, t: number, v: number, h: number, time: number): void {
  acc.count[k] += 1;
  acc.sum[k] += v;
  acc.sumSq[k] += v * v;
  if (v < acc.min[k]) acc.min[k] = v;
  if (v > acc.max[k]) acc.max[k] = v;
  if (time < t && s > acc.newest[k]) acc.newest[k] = s;
  if (cv.needDistinct && h >= 0) kmvInsert(acc.distinct[k], h, cv.def.distinctK);
}

function accumulate(cv: CompiledView, vs: ViewState | undefined, state: EntityState | undefined, acc: ViewAcc, request: FeatureRequest, t: number, requestHash: number): void {
  acc.reset();
  const def = cv.def;
  const res = def.resolution;
  const d = def.labelDelay;
  const upper = t - d;
  const windows = cv.windows;
  // Ages only look back one span: older buckets may or may not be pruned yet, and reads must not depend on that.
  const seenFloor = t - cv.span;
  if (vs) {
    const st = vs.start;
    // rolled buckets end at or before the horizon <= t: all their events are strictly earlier than t
    for (let i = st.length - 1; i >= 0; i--) {
      const s = st[i];
      if (s > t) continue;
      if (vs.count[i] > 0 && s > acc.lastSeen && s > seenFloor) acc.lastSeen = s;
      if (s > upper) continue;
      const k = windowOf(windows, upper - s);
      if (k < 0) break;
      const c = vs.count[i];
      if (c > 0) {
        acc.count[k] += c;
        acc.sum[k] += vs.sum[i];
        if (cv.needSumSq) acc.sumSq[k] += vs.sumSq[i];
        if (cv.needMinMax) {
          if (vs.min[i] < acc.min[k]) acc.min[k] = vs.min[i];
          if (vs.max[i] > acc.max[k]) acc.max[k] = vs.max[i];
        }
        // rolled buckets end at or before the horizon <= t, so every event in them is strictly earlier than t
        if (s > acc.newest[k]) acc.newest[k] = s;
        if (cv.needDistinct) {
          const list = vs.distinct[i];
          for (let j = 0; j < list.length; j++) kmvInsert(acc.distinct[k], list[j], def.distinctK);
        }
      }
      if (cv.needLabels) {
        acc.labelCount[k] += vs.labelCount[i];
        acc.labelSum[k] += vs.labelSum[i];
      }
    }
    const n = vs.pKind.length;
    for (let i = 0; i < n; i++) {
      const time = vs.pTime[i];
      if (vs.pKind[i] === PENDING_EVENT) {
        if (time > t) continue;
        const s = Math.floor(time / res) * res;
        if (time < t && s > acc.lastSeen && s > seenFloor) acc.lastSeen = s;
        if (time === t && !def.includeCurrent) continue;
        if (s > upper) continue;
        const k = windowOf(windows, upper - s);
        if (k < 0) continue;
        addEvent(cv, acc, k, s, t, vs.pValue[i], vs.pHash[i], time);
      } else {
        if (time > t) continue;
        const s = Math.floor(vs.pRef[i] / res) * res;
        if (s > upper) continue;
        const k = windowOf(windows, upper - s);
        if (k < 0) continue;
        acc.labelCount[k] += 1;
        acc.labelSum[k] += vs.pValue[i];
      }
    }
  }
  // The request itself, when the stream has not applied it yet (scoring before ingestion).
  if (cv.eventTypes.has(request.type) && request.time === t && !(state && hasSeen(state, request.eventId, t, requestHash))) {
    if (d === 0 && def.includeCurrent) {
      const s = Math.floor(t / res) * res;
      const v = def.value ? def.value(request) : 1;
      let h = -1;
      if (cv.needDistinct && def.distinct) {
        const key = def.distinct(request);
        if (key !== undefined) h = distinctHash(key);
      }
      addEvent(cv, acc, 0, s, t, v, h, t);
    }
  }
  // Windows are nested: fold the per-band sums outwards.
  for (let k = 1; k < windows.length; k++) {
    acc.count[k] += acc.count[k - 1];
    acc.sum[k] += acc.sum[k - 1];
    acc.sumSq[k] += acc.sumSq[k - 1];
    if (acc.min[k - 1] < acc.min[k]) acc.min[k] = acc.min[k - 1];
    if (acc.max[k - 1] > acc.max[k]) acc.max[k] = acc.max[k - 1];
    acc.labelCount[k] += acc.labelCount[k - 1];
    acc.labelSum[k] += acc.labelSum[k - 1];
    if (acc.newest[k - 1] > acc.newest[k]) acc.newest[k] = acc.newest[k - 1];
    if (cv.needDistinct) {
      const inner = acc.distinct[k - 1];
      for (let j = 0; j < inner.length; j++) kmvInsert(acc.distinct[k], inner[j], def.distinctK);
    }
  }
}

function term(acc: ViewAcc, k: number, of: string): number {
  switch (of) {
    case 'count':
      return acc.count[k];
    case 'sum':
      return acc.sum[k];
    case 'labelCount':
      return acc.labelCount[k];
    default:
      return acc.labelSum[k];
  }
}

/** NaN = undefined aggregate (the default is served). */
function windowValue(cv: CompiledView, acc: ViewAcc, k: number, agg: string, request: FeatureRequest, t: number): number {
  const n = acc.count[k];
  switch (agg) {
    case 'count':
      return n;
    case 'sum':
      return acc.sum[k];
    case 'avg':
      return n > 0 ? acc.sum[k] / n : NaN;
    case 'min':
      return n > 0 ? acc.min[k] : NaN;
    case 'max':
      return n > 0 ? acc.max[k] : NaN;
    case 'std': {
      if (n === 0) return NaN;
      const mean = acc.sum[k] / n;
      return Math.sqrt(Math.max(0, acc.sumSq[k] / n - mean * mean));
    }
    case 'zscore': {
      if (n < 2) return NaN;
      const mean = acc.sum[k] / n;
      const std = Math.sqrt(Math.max(0, acc.sumSq[k] / n - mean * mean));
      const x = cv.def.value ? cv.def.value(request) : 1;
      return std > 0 ? (x - mean) / std : NaN;
    }
    case 'ratioToAvg': {
      if (n === 0 || acc.sum[k] === 0) return NaN;
      const x = cv.def.value ? cv.def.value(request) : 1;
      return x / (acc.sum[k] / n);
    }
    case 'distinct':
      return kmvEstimate(acc.distinct[k], cv.def.distinctK);
    case 'labelCount':
      return acc.labelCount[k];
    case 'labelSum':
      return acc.labelSum[k];
    case 'labelRate':
      return n > 0 ? acc.labelSum[k] / n : NaN;
    case 'absent':
      return n === 0 ? 1 : 0;
    default:
      return acc.newest[k] > -Infinity ? (t - acc.newest[k]) / 1000 : NaN;
  }
}

/**
 * Hot path: the vector for `request` at its own time from already-decoded states, written at `offset`.
 * Exact for any t >= each state's horizon (newest event - lateness): always true when reading "now" or in batch replay.
 */
export function readInto(set: FeatureSet, states: StateLookup, request: FeatureRequest, out: FeatureRead, offset = 0, options?: ReadOptions): void {
  const t = request.time;
  const reader = readerFor(set);
  const unavailable = options?.unavailable;
  const requestHash = idHash53(request.eventId);
  for (let e = 0; e < set.entities.length; e++) {
    const plan = set.entities[e];
    const accs = reader.accs[e];
    const token = entityToken(plan, request);
    reader.tokens[e] = token;
    if (token === undefined || unavailable?.has(plan.name)) {
      for (const a of accs) a.valid = false;
      continue;
    }
    const state = 'getState' in states ? states.getState(plan, token) : states.get(entityStateKey(set, plan.name, token));
    for (let v = 0; v < plan.views.length; v++) accumulate(plan.views[v], state?.views[v], state, accs[v], request, t, requestHash);
  }
  const slots = set.slots;
  const features = set.features;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    let value = NaN;
    let age = -1;
    if (slot.kind === 'request') {
      const r = features[i].kind === 'request' ? (features[i] as { compute: (q: FeatureRequest) => number | boolean | undefined }).compute(request) : undefined;
      value = r === undefined ? NaN : +r;
      age = 0;
    } else if (slot.kind === 'window') {
      const acc = reader.accs[slot.entity][slot.view];
      if (acc.valid) {
        value = windowValue(set.entities[slot.entity].views[slot.view], acc, slot.window, slot.agg, request, t);
        age = acc.lastSeen > -Infinity ? t - acc.lastSeen : -1;
      }
    } else {
      const num = reader.accs[slot.entity][slot.numView];
      const den = reader.accs[slot.entity][slot.denView];
      if (num.valid && den.valid) {
        const dv = term(den, slot.denWindow, slot.denOf);
        value = dv > 0 ? term(num, slot.numWindow, slot.numOf) / dv : NaN;
        const last = Math.max(num.lastSeen, den.lastSeen);
        age = last > -Infinity ? t - last : -1;
      }
    }
    const stale = age > set.ttls[i];
    if (Number.isNaN(value) || stale) {
      out.values[offset + i] = set.defaults[i];
      out.missing[offset + i] = 1;
    } else {
      out.values[offset + i] = value;
      out.missing[offset + i] = 0;
    }
    out.ages[offset + i] = age;
  }
}

export function readVector(set: FeatureSet, states: StateLookup, request: FeatureRequest, options?: ReadOptions): FeatureRead {
  const n = set.featureNames.length;
  const out: FeatureRead = { values: new Float64Array(n), ages: new Float64Array(n), missing: new Uint8Array(n) };
  readInto(set, states, request, out, 0, options);
  return out;
}
