import type Redis from 'ioredis';
import { applyEvent, createEntityState, decodeEntityState, encodeEntityState, entityStateKey, routeEvent } from '@risk/feature-engine';
import type { ApplyOutcome, EngineEvent, EntityState, FeatureSet } from '@risk/feature-engine';
import { idempotencyKey, stateKey } from './online-store.keys';
import { CAS_APPLY_LUA } from './online-store.lua';
import { OnlineStoreConflictError } from './online-store.errors';

export const STATE_HEADER_BYTES = 4;

export interface OnlineStoreOptions {
  readonly redis: Redis;
  readonly set: FeatureSet;
  readonly keyPrefix: string;
  readonly region: string;
  /** How long an event id is remembered per entity: the redelivery window (claim idle + retries). Older duplicates are
   *  caught by the engine itself (its seen-set covers the lateness horizon; anything older is dropped as late). */
  readonly idempotencyTtlMs?: number;
  /** Cap on the blob TTL (the engine's stateTtl: longest window + label delay + lateness). */
  readonly maxStateTtlMs?: number;
  readonly maxCasRetries?: number;
  /**
   * Write-through cache of the blobs this instance wrote last (entries): the next apply to the key skips the read
   * round trip and goes straight to the CAS, which still verifies the version and the idempotency records; any
   * conflict drops the entry and falls back to read-apply-CAS. 0 disables it.
   */
  readonly writeCacheEntries?: number;
}

export interface ApplySummary {
  applied: number;
  duplicate: number;
  late: number;
  ignored: number;
  /** CAS writes issued (one per entity touched per batch, whatever the number of events folded into it) */
  writes: number;
  conflicts: number;
}

export interface OnlineStoreStats {
  reads: number;
  writes: number;
  conflicts: number;
  events: number;
}

interface KeyGroup {
  key: string;
  entity: string;
  events: EngineEvent[];
}

const emptySummary = (): ApplySummary => ({ applied: 0, duplicate: 0, late: 0, ignored: 0, writes: 0, conflicts: 0 });

function header(version: number): Buffer {
  const b = Buffer.allocUnsafe(STATE_HEADER_BYTES);
  b.writeUInt32LE(version >>> 0, 0);
  return b;
}

/** Engine state from a stored blob; copies first (ioredis Buffers may sit at unaligned offsets of a shared slab). */
export function decodeStoredState(set: FeatureSet, entity: string, blob: Buffer): EntityState {
  const bytes = new Uint8Array(blob.length - STATE_HEADER_BYTES);
  bytes.set(blob.subarray(STATE_HEADER_BYTES));
  return decodeEntityState(set, entity, bytes);
}

/**
 * Write side of the online store. Events are applied with the engine's own `applyEvent` (no second implementation):
 * read blob → apply in TS → Lua compare-and-set on the 4-byte version header, writing the idempotency records of the
 * folded events in the same script. A crash between two entities of one event leaves the first with its record, so
 * the redelivery skips it there and applies it to the rest: nothing is counted twice or lost.
 *
 * Hot write keys: `submit()` coalesces every event submitted within one event-loop turn (the consumer's partitions
 * run concurrently) and `apply()` folds all events of one entity into ONE read and ONE CAS write, instead of one
 * conflicting read-modify-write per event.
 */
export class OnlineFeatureStore {
  readonly stats: OnlineStoreStats = { reads: 0, writes: 0, conflicts: 0, events: 0 };
  private readonly written = new Map<string, Buffer>();
  private readonly writeCacheEntries: number;
  private readonly idemTtl: number;
  private readonly maxStateTtl: number;
  private readonly maxRetries: number;
  private pending: { event: EngineEvent; resolve: (s: ApplySummary) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly o: OnlineStoreOptions) {
    this.idemTtl = o.idempotencyTtlMs ?? 15 * 60_000;
    this.maxStateTtl = o.maxStateTtlMs ?? 90 * 24 * 3600_000;
    this.maxRetries = o.maxCasRetries ?? 32;
    this.writeCacheEntries = o.writeCacheEntries ?? 50_000;
    o.redis.defineCommand('featureCasApply', { lua: CAS_APPLY_LUA });
  }

  get set(): FeatureSet {
    return this.o.set;
  }

  keyOf(entity: string, token: string): string {
    return stateKey(this.o.keyPrefix, this.o.region, this.o.set, entity, token);
  }

  /** Apply one event, batched with every other event submitted in the same turn (resolves once written). */
  submit(event: EngineEvent): Promise<ApplySummary> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    this.apply(batch.map((b) => b.event)).then(
      (s) => batch.forEach((b) => b.resolve(s)),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }

  /** Apply events (in the given order per entity); resolves when every touched entity is written. */
  async apply(events: readonly EngineEvent[]): Promise<ApplySummary> {
    const groups = new Map<string, KeyGroup>();
    for (const event of events) {
      this.stats.events++;
      for (const route of routeEvent(this.o.set, event)) {
        const key = this.keyOf(route.plan.name, route.token);
        let g = groups.get(key);
        if (!g) {
          g = { key, entity: route.plan.name, events: [] };
          groups.set(key, g);
        }
        g.events.push(event);
      }
    }
    const results = await Promise.all([...groups.values()].map((g) => this.applyGroup(g)));
    const total = emptySummary();
    for (const r of results) {
      total.applied += r.applied;
      total.duplicate += r.duplicate;
      total.late += r.late;
      total.ignored += r.ignored;
      total.writes += r.writes;
      total.conflicts += r.conflicts;
    }
    return total;
  }

  private async applyGroup(g: KeyGroup): Promise<ApplySummary> {
    const redis = this.o.redis;
    const set = this.o.set;
    const idemKeys = g.events.map((e) => idempotencyKey(g.key, e.eventId));
    for (let attempt = 1; attempt <= this.maxRetries; attempt++) {
      const s = emptySummary();
      s.conflicts = attempt - 1;
      let blob: Buffer | null = attempt === 1 ? (this.written.get(g.key) ?? null) : null;
      let seen: (string | null)[];
      if (blob) {
        // optimistic: our own last write; the CAS below re-checks version and idempotency records
        seen = idemKeys.map(() => null);
      } else {
        const res = await redis.pipeline().getBuffer(g.key).mget(idemKeys).exec();
        this.stats.reads++;
        if (!res) throw new OnlineStoreConflictError(g.key, attempt);
        const [blobErr, fetched] = res[0] as [Error | null, Buffer | null];
        const [idemErr, records] = res[1] as [Error | null, (string | null)[]];
        if (blobErr) throw blobErr;
        if (idemErr) throw idemErr;
        blob = fetched;
        seen = records;
      }
      let state: EntityState;
      let expected = '';
      let version = 0;
      if (blob && blob.length > STATE_HEADER_BYTES) {
        expected = blob.subarray(0, STATE_HEADER_BYTES).toString('latin1');
        version = blob.readUInt32LE(0);
        try {
          state = decodeStoredState(set, g.entity, blob);
        } catch {
          // Written by another layout of the set (fingerprint changed): start over, the key is versioned anyway.
          state = createEntityState(set, g.entity);
        }
      } else {
        state = createEntityState(set, g.entity);
      }
      const written: string[] = [];
      const seenInBatch = new Set<string>();
      for (let i = 0; i < g.events.length; i++) {
        const e = g.events[i];
        if (seen[i] !== null || seenInBatch.has(e.eventId)) {
          s.duplicate++;
          continue;
        }
        seenInBatch.add(e.eventId);
        const outcome: ApplyOutcome = applyEvent(state, e);
        s[outcome]++;
        if (outcome === 'applied') written.push(idemKeys[i]);
      }
      if (written.length === 0) return s;
      const encoded = encodeEntityState(set, state);
      const next = Buffer.concat([header(version + 1), encoded]);
      const plan = set.entityByName.get(g.entity);
      const ttl = Math.max(1000, Math.min(this.maxStateTtl, plan && Number.isFinite(plan.stateTtl) ? plan.stateTtl : this.maxStateTtl));
      const r = (await (redis as unknown as CasRedis).featureCasApply(1 + written.length, g.key, ...written, Buffer.from(expected, 'latin1'), next, Math.round(ttl), this.idemTtl)) as number;
      this.stats.writes++;
      s.writes = 1;
      if (r === 1) {
        this.remember(g.key, next);
        return s;
      }
      this.written.delete(g.key);
      this.stats.conflicts++;
    }
    throw new OnlineStoreConflictError(g.key, this.maxRetries);
  }

  private remember(key: string, blob: Buffer): void {
    if (this.writeCacheEntries === 0) return;
    this.written.delete(key);
    if (this.written.size >= this.writeCacheEntries) {
      const oldest = this.written.keys().next();
      if (!oldest.done) this.written.delete(oldest.value);
    }
    this.written.set(key, blob);
  }

  /**
   * Backfill warm-up: overwrite entity states (e.g. from `BatchReplayer.entries()`), with a fresh random version so
   * a concurrent CAS writer holding the old version re-reads instead of overwriting the warmed state.
   */
  async warm(states: Iterable<[engineKey: string, state: EntityState]>, batchSize = 500): Promise<number> {
    const set = this.o.set;
    let n = 0;
    let pipe = this.o.redis.pipeline();
    let inPipe = 0;
    for (const [engineKey, state] of states) {
      const plan = state.plan;
      // engine keys are `entityStateKey(set, entity, token)`; the online layout adds region and a hash tag
      const token = engineKey.slice(entityStateKey(set, plan.name, '').length);
      const ttl = Math.max(1000, Math.min(this.maxStateTtl, Number.isFinite(plan.stateTtl) ? plan.stateTtl : this.maxStateTtl));
      const blob = Buffer.concat([header((Math.random() * 0xffffffff) >>> 0), encodeEntityState(this.o.set, state)]);
      const key = this.keyOf(plan.name, token);
      this.written.delete(key);
      pipe.set(key, blob, 'PX', Math.round(ttl));
      n++;
      if (++inPipe >= batchSize) {
        await pipe.exec();
        pipe = this.o.redis.pipeline();
        inPipe = 0;
      }
    }
    if (inPipe > 0) await pipe.exec();
    return n;
  }
}

interface CasRedis {
  featureCasApply(numKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown>;
}
