import type Redis from 'ioredis';
import { entityStateKey, readInto, requestEntityKeys } from '@risk/feature-engine';
import type { EntityState, FeatureRead, FeatureRequest, FeatureSet } from '@risk/feature-engine';
import { clusterSlot, stateKey } from './online-store.keys';
import { decodeStoredState, STATE_HEADER_BYTES } from './online-store';

export interface OnlineReaderOptions {
  readonly redis: Redis;
  readonly set: FeatureSet;
  readonly keyPrefix: string;
  readonly region: string;
  /** Hard deadline of one read (ms): defaults + missing flags are served past it. */
  readonly deadlineMs: number;
  /** Coarse entities shared by very many requests (merchant, bin, payment method): cached in-process on read. */
  readonly coarseEntities?: readonly string[];
  /** Short TTL of that cache; bounds how stale a coarse entity's features can be. 0 disables it. */
  readonly coarseCacheTtlMs?: number;
  readonly coarseCacheMaxEntries?: number;
  /** Redis Cluster: one MGET per slot, all slots in one pipeline (parallel), instead of one MGET. */
  readonly cluster?: boolean;
  readonly now?: () => number;
}

export interface OnlineRead extends FeatureRead {
  readonly names: readonly string[];
  /** The deadline fired or Redis failed: every fetched entity got defaults. */
  readonly timedOut: boolean;
  /** Entities whose state could not be fetched in time. */
  readonly unavailable: readonly string[];
  /** Entities fetched but with no state (never seen, expired, or another layout). */
  readonly notFound: readonly string[];
  readonly fetchedKeys: number;
  readonly cachedKeys: number;
  readonly elapsedMs: number;
}

export interface OnlineReaderStats {
  reads: number;
  roundTrips: number;
  timeouts: number;
  cacheHits: number;
  keysFetched: number;
}

class DeadlineExceeded extends Error {}

/**
 * Scoring-time read: every entity state of one request in ONE round trip (MGET, or one pipeline of per-slot MGETs
 * in cluster mode) under a hard deadline, then the engine's `readInto` (no second implementation of any feature).
 * Request-time features and the current transaction are handled by the engine (the request is counted once whether
 * or not the stream has ingested it yet).
 */
export class OnlineFeatureReader {
  readonly stats: OnlineReaderStats = { reads: 0, roundTrips: 0, timeouts: 0, cacheHits: 0, keysFetched: 0 };
  private readonly coarse: ReadonlySet<string>;
  private readonly cache = new Map<string, { state: EntityState | undefined; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly o: OnlineReaderOptions) {
    this.coarse = new Set(o.coarseCacheTtlMs === 0 ? [] : (o.coarseEntities ?? []));
    this.now = o.now ?? Date.now;
  }

  get set(): FeatureSet {
    return this.o.set;
  }

  async read(request: FeatureRequest, deadlineMs = this.o.deadlineMs): Promise<OnlineRead> {
    const started = performance.now();
    const set = this.o.set;
    this.stats.reads++;
    const routes = requestEntityKeys(set, request);
    const states = new Map<string, EntityState>();
    const fetchKeys: string[] = [];
    const fetchRoutes: typeof routes = [];
    const wall = this.now();
    let cachedKeys = 0;
    const notFound: string[] = [];
    for (const r of routes) {
      const key = stateKey(this.o.keyPrefix, this.o.region, set, r.plan.name, r.token);
      if (this.coarse.has(r.plan.name)) {
        const hit = this.cache.get(key);
        if (hit && hit.expires > wall) {
          cachedKeys++;
          this.stats.cacheHits++;
          if (hit.state) states.set(r.key, hit.state);
          else notFound.push(r.plan.name);
          continue;
        }
      }
      fetchKeys.push(key);
      fetchRoutes.push(r);
    }
    let timedOut = false;
    const unavailable: string[] = [];
    if (fetchKeys.length > 0) {
      let blobs: (Buffer | null)[] | undefined;
      try {
        blobs = await this.fetch(fetchKeys, deadlineMs);
      } catch {
        timedOut = true;
        this.stats.timeouts++;
      }
      for (let i = 0; i < fetchRoutes.length; i++) {
        const r = fetchRoutes[i];
        if (!blobs) {
          unavailable.push(r.plan.name);
          continue;
        }
        const blob = blobs[i];
        let state: EntityState | undefined;
        if (blob && blob.length > STATE_HEADER_BYTES) {
          try {
            state = decodeStoredState(set, r.plan.name, blob);
          } catch {
            state = undefined;
          }
        }
        if (state) states.set(r.key, state);
        else notFound.push(r.plan.name);
        if (this.coarse.has(r.plan.name)) this.remember(fetchKeys[i], state, wall);
      }
    }
    const n = set.featureNames.length;
    const out: OnlineRead = {
      names: set.featureNames,
      values: new Float64Array(n),
      ages: new Float64Array(n),
      missing: new Uint8Array(n),
      timedOut,
      unavailable,
      notFound,
      fetchedKeys: fetchKeys.length,
      cachedKeys,
      elapsedMs: 0,
    };
    readInto(set, states, request, out, 0, unavailable.length ? { unavailable: new Set(unavailable) } : undefined);
    (out as { elapsedMs: number }).elapsedMs = performance.now() - started;
    return out;
  }

  /** Engine lookup key of an entity (what `readInto` asks the Map for). */
  engineKey(entity: string, token: string): string {
    return entityStateKey(this.o.set, entity, token);
  }

  private remember(key: string, state: EntityState | undefined, wall: number): void {
    const max = this.o.coarseCacheMaxEntries ?? 10_000;
    if (this.cache.size >= max) {
      // Evict the oldest insertion (Map keeps insertion order): bounded memory, no LRU bookkeeping on the hot path.
      const first = this.cache.keys().next();
      if (!first.done) this.cache.delete(first.value);
    }
    this.cache.delete(key);
    this.cache.set(key, { state, expires: wall + (this.o.coarseCacheTtlMs ?? 500) });
  }

  private fetch(keys: string[], deadlineMs: number): Promise<(Buffer | null)[]> {
    this.stats.roundTrips++;
    this.stats.keysFetched += keys.length;
    const work = this.o.cluster ? this.fetchPerSlot(keys) : this.o.redis.mgetBuffer(keys);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // Defer the rejection by one turn: after a blocked event loop the timer and an already-arrived reply are due
      // together, and the poll phase (the reply) must win over a deadline that only fired late.
      timer = setTimeout(() => setImmediate(() => reject(new DeadlineExceeded('online feature read deadline'))), deadlineMs);
    });
    // A late answer after the deadline must not become an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  private async fetchPerSlot(keys: string[]): Promise<(Buffer | null)[]> {
    const bySlot = new Map<number, number[]>();
    keys.forEach((k, i) => {
      const slot = clusterSlot(k);
      const list = bySlot.get(slot);
      if (list) list.push(i);
      else bySlot.set(slot, [i]);
    });
    const pipe = this.o.redis.pipeline();
    const order = [...bySlot.values()];
    for (const idx of order) pipe.mgetBuffer(idx.map((i) => keys[i]));
    const res = (await pipe.exec()) ?? [];
    const out: (Buffer | null)[] = new Array(keys.length).fill(null);
    order.forEach((idx, j) => {
      const [err, vals] = res[j] as [Error | null, (Buffer | null)[]];
      if (err) throw err;
      idx.forEach((i, k) => (out[i] = vals[k]));
    });
    return out;
  }
}
