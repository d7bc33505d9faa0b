import { EntityState } from './entity-state';
import { PENDING_EVENT } from './entity-state';
import { EntityStateDecodeError } from './feature-engine.errors';
import type { FeatureSet } from './feature-set';

const MAGIC = 0xfe;
/** Bump when the byte layout changes; old blobs are then treated as unreadable (a cache miss for the online store). */
export const ENTITY_STATE_FORMAT = 1;
const START_DELTA = 0;
const START_F64 = 1;

function viewSize(state: EntityState, vi: number): number {
  const cv = state.plan.views[vi];
  const vs = state.views[vi];
  const n = vs.start.length;
  let size = 4;
  if (n > 0) {
    size += 9 + n * 4; // base, mode, starts as u32 deltas (f64 fallback adds 4 per bucket)
    if (!deltasFit(vs.start, cv.def.resolution)) size += n * 4;
    size += n * 12; // count u32 + sum f64
    if (cv.needSumSq) size += n * 8;
    if (cv.needMinMax) size += n * 16;
    if (cv.needLabels) size += n * 12;
    if (cv.needDistinct) for (const d of vs.distinct) size += 1 + d.length * 4;
  }
  size += 4;
  for (let i = 0; i < vs.pKind.length; i++) {
    size += 1 + 8 + 8 + (vs.pKind[i] === PENDING_EVENT ? 0 : 8) + (cv.needDistinct ? 4 : 0);
  }
  return size;
}

function deltasFit(start: readonly number[], res: number): boolean {
  return start.length === 0 || (start[start.length - 1] - start[0]) / res <= 0xffffffff;
}

/**
 * Compact, versioned binary form of one entity's state (the online store keeps one such blob per entity).
 * Layout (little endian): magic u8, format u8, set fingerprint u32, maxTime f64, seen[] (u32 n, f64 hash, f64 time),
 * then per view: buckets (u32 n, f64 base, u8 mode, starts, u32 counts, f64 sums, optional sumSq/min/max/labels/sketch)
 * and exact pending entries.
 */
export function encodeEntityState(set: FeatureSet, state: EntityState): Uint8Array {
  let size = 1 + 1 + 4 + 8 + 4 + state.seenHash.length * 16;
  for (let vi = 0; vi < state.views.length; vi++) size += viewSize(state, vi);
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  let o = 0;
  dv.setUint8(o, MAGIC);
  dv.setUint8(o + 1, ENTITY_STATE_FORMAT);
  dv.setUint32(o + 2, set.fingerprint, true);
  dv.setFloat64(o + 6, state.maxTime, true);
  o += 14;
  dv.setUint32(o, state.seenHash.length, true);
  o += 4;
  for (let i = 0; i < state.seenHash.length; i++) {
    dv.setFloat64(o, state.seenHash[i], true);
    dv.setFloat64(o + 8, state.seenTime[i], true);
    o += 16;
  }
  for (let vi = 0; vi < state.views.length; vi++) {
    const cv = state.plan.views[vi];
    const vs = state.views[vi];
    const n = vs.start.length;
    dv.setUint32(o, n, true);
    o += 4;
    if (n > 0) {
      const res = cv.def.resolution;
      const base = vs.start[0];
      const fit = deltasFit(vs.start, res);
      dv.setFloat64(o, base, true);
      dv.setUint8(o + 8, fit ? START_DELTA : START_F64);
      o += 9;
      for (let i = 0; i < n; i++) {
        if (fit) {
          dv.setUint32(o, (vs.start[i] - base) / res, true);
          o += 4;
        } else {
          dv.setFloat64(o, vs.start[i], true);
          o += 8;
        }
      }
      for (let i = 0; i < n; i++, o += 4) dv.setUint32(o, vs.count[i], true);
      for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, vs.sum[i], true);
      if (cv.needSumSq) for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, vs.sumSq[i], true);
      if (cv.needMinMax) {
        for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, vs.min[i], true);
        for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, vs.max[i], true);
      }
      if (cv.needLabels) {
        for (let i = 0; i < n; i++, o += 4) dv.setUint32(o, vs.labelCount[i], true);
        for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, vs.labelSum[i], true);
      }
      if (cv.needDistinct) {
        for (let i = 0; i < n; i++) {
          const d = vs.distinct[i];
          dv.setUint8(o++, d.length);
          for (let j = 0; j < d.length; j++, o += 4) dv.setUint32(o, d[j], true);
        }
      }
    }
    const p = vs.pKind.length;
    dv.setUint32(o, p, true);
    o += 4;
    for (let i = 0; i < p; i++) {
      const kind = vs.pKind[i];
      dv.setUint8(o, kind);
      dv.setFloat64(o + 1, vs.pTime[i], true);
      dv.setFloat64(o + 9, vs.pValue[i], true);
      o += 17;
      if (kind !== PENDING_EVENT) {
        dv.setFloat64(o, vs.pRef[i], true);
        o += 8;
      }
      if (cv.needDistinct) {
        dv.setInt32(o, vs.pHash[i] < 0 ? -1 : vs.pHash[i] | 0, true);
        o += 4;
      }
    }
  }
  return buf;
}

export function decodeEntityState(set: FeatureSet, entityName: string, bytes: Uint8Array): EntityState {
  const plan = set.entityByName.get(entityName);
  if (!plan) throw new EntityStateDecodeError(`feature set "${set.name}" has no entity "${entityName}"`);
  if (bytes.length < 18) throw new EntityStateDecodeError('entity state truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint8(0) !== MAGIC || dv.getUint8(1) !== ENTITY_STATE_FORMAT) throw new EntityStateDecodeError('unknown entity state format');
  if (dv.getUint32(2, true) !== set.fingerprint) throw new EntityStateDecodeError(`entity state was written by another layout of "${set.name}"`);
  const state = new EntityState(plan);
  try {
    state.maxTime = dv.getFloat64(6, true);
    let o = 14;
    const seen = dv.getUint32(o, true);
    o += 4;
    for (let i = 0; i < seen; i++, o += 16) {
      state.seenHash.push(dv.getFloat64(o, true));
      state.seenTime.push(dv.getFloat64(o + 8, true));
    }
    for (let vi = 0; vi < plan.views.length; vi++) {
      const cv = plan.views[vi];
      const vs = state.views[vi];
      const n = dv.getUint32(o, true);
      o += 4;
      if (n > 0) {
        const res = cv.def.resolution;
        const base = dv.getFloat64(o, true);
        const mode = dv.getUint8(o + 8);
        o += 9;
        const start = new Array<number>(n);
        for (let i = 0; i < n; i++) {
          if (mode === START_DELTA) {
            start[i] = base + dv.getUint32(o, true) * res;
            o += 4;
          } else {
            start[i] = dv.getFloat64(o, true);
            o += 8;
          }
        }
        vs.start = start;
        const count = new Array<number>(n);
        for (let i = 0; i < n; i++, o += 4) count[i] = dv.getUint32(o, true);
        vs.count = count;
        const sum = new Array<number>(n);
        for (let i = 0; i < n; i++, o += 8) sum[i] = dv.getFloat64(o, true);
        vs.sum = sum;
        if (cv.needSumSq) {
          const a = new Array<number>(n);
          for (let i = 0; i < n; i++, o += 8) a[i] = dv.getFloat64(o, true);
          vs.sumSq = a;
        }
        if (cv.needMinMax) {
          const mn = new Array<number>(n);
          for (let i = 0; i < n; i++, o += 8) mn[i] = dv.getFloat64(o, true);
          const mx = new Array<number>(n);
          for (let i = 0; i < n; i++, o += 8) mx[i] = dv.getFloat64(o, true);
          vs.min = mn;
          vs.max = mx;
        }
        if (cv.needLabels) {
          const lc = new Array<number>(n);
          for (let i = 0; i < n; i++, o += 4) lc[i] = dv.getUint32(o, true);
          const ls = new Array<number>(n);
          for (let i = 0; i < n; i++, o += 8) ls[i] = dv.getFloat64(o, true);
          vs.labelCount = lc;
          vs.labelSum = ls;
        }
        if (cv.needDistinct) {
          const ds: number[][] = [];
          for (let i = 0; i < n; i++) {
            const len = dv.getUint8(o++);
            const d: number[] = [];
            for (let j = 0; j < len; j++, o += 4) d.push(dv.getUint32(o, true));
            ds.push(d);
          }
          vs.distinct = ds;
        }
      }
      const p = dv.getUint32(o, true);
      o += 4;
      for (let i = 0; i < p; i++) {
        const kind = dv.getUint8(o);
        vs.pKind.push(kind);
        vs.pTime.push(dv.getFloat64(o + 1, true));
        vs.pValue.push(dv.getFloat64(o + 9, true));
        o += 17;
        if (kind !== PENDING_EVENT) {
          vs.pRef.push(dv.getFloat64(o, true));
          o += 8;
        } else vs.pRef.push(0);
        if (cv.needDistinct) {
          const h = dv.getInt32(o, true);
          vs.pHash.push(h === -1 ? -1 : h >>> 0);
          o += 4;
        } else vs.pHash.push(-1);
      }
    }
    if (o !== bytes.length) throw new EntityStateDecodeError('entity state has trailing bytes');
  } catch (err) {
    if (err instanceof EntityStateDecodeError) throw err;
    throw new EntityStateDecodeError('entity state truncated');
  }
  return state;
}
