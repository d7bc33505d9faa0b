import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@risk/util-logging';
import type { ModelAssignment, ModelLoader, ModelRef, ModelScorer, ModelSource } from '../decision.ports';
import { inCanary } from './canary-split';

export interface LoadedModel {
  ref: ModelRef;
  scorer: ModelScorer;
}

/** Immutable: a refresh builds a new set and swaps one reference, so in-flight requests keep a consistent view. */
export interface ModelSet {
  production: LoadedModel | null;
  canary: { model: LoadedModel; percent: number } | null;
  shadows: LoadedModel[];
  origin: 'none' | 'registry' | 'lkg';
}

export interface ModelHealth {
  registryReachable: boolean;
  /** Why production is absent: nothing registered, or the artifact failed to load (corrupt/checksum). */
  problem: 'model_missing' | 'model_error' | null;
  lastRefreshAt: number | null;
}

export interface ModelManagerOptions {
  region: string;
  source: ModelSource | null;
  loader: ModelLoader;
  /** Last-known-good cache for cold starts while the registry is down. */
  lkgDir?: string;
  refreshMs?: number;
  logger?: Logger;
}

const EMPTY: ModelSet = Object.freeze({ production: null, canary: null, shadows: [], origin: 'none' as const });
const key = (r: ModelRef): string => `${r.name}@${r.version}#${r.sha256}`;
const fileName = (r: ModelRef): string => `${r.name}@${r.version}`.replace(/[^A-Za-z0-9@._-]/g, '_') + '.bin';

export class ModelManager {
  private set: ModelSet = EMPTY;
  private readonly loaded = new Map<string, LoadedModel>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  readonly health: ModelHealth = { registryReachable: false, problem: 'model_missing', lastRefreshAt: null };

  constructor(private readonly opts: ModelManagerOptions) {}

  get current(): ModelSet {
    return this.set;
  }

  /** Production or canary for this checkout; the split is a stable hash so retries see the same model. */
  select(checkoutId: string): { model: LoadedModel | null; arm: 'production' | 'canary' } {
    const s = this.set;
    if (s.canary && inCanary(checkoutId, s.canary.percent)) return { model: s.canary.model, arm: 'canary' };
    return { model: s.production, arm: 'production' };
  }

  /** Loads the LKG cache first (fast cold start), then the registry; never throws. */
  async start(): Promise<void> {
    await this.loadLkg();
    await this.refresh();
    if (this.opts.refreshMs && this.opts.refreshMs > 0) {
      this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const src = this.opts.source;
    if (!src) return;
    let assignment: ModelAssignment;
    try {
      assignment = await src.assignment(this.opts.region);
      this.health.registryReachable = true;
    } catch (err) {
      this.health.registryReachable = false;
      this.opts.logger?.warn({ err: (err as Error).message }, 'model registry unreachable; serving last-known-good');
      return;
    }
    this.health.lastRefreshAt = Date.now();
    const bytesByKey = new Map<string, Uint8Array>();
    const get = async (ref: ModelRef): Promise<LoadedModel | null> => {
      const k = key(ref);
      const have = this.loaded.get(k);
      if (have) return have;
      try {
        const bytes = await src.download(ref);
        const scorer = await this.opts.loader(bytes, ref);
        const m = { ref, scorer };
        this.loaded.set(k, m);
        bytesByKey.set(k, bytes);
        return m;
      } catch (err) {
        this.opts.logger?.error({ model: `${ref.name}@${ref.version}`, err: (err as Error).message }, 'model failed to load');
        return null;
      }
    };
    const production = assignment.production ? await get(assignment.production) : null;
    const canaryModel = assignment.canary ? await get(assignment.canary.ref) : null;
    const shadows = (await Promise.all(assignment.shadows.map(get))).filter((m): m is LoadedModel => m !== null);
    const prev = this.set;
    // A production artifact that fails to load never replaces a working one.
    const keepPrev = assignment.production !== null && production === null && prev.production !== null;
    const next: ModelSet = {
      production: keepPrev ? prev.production : production,
      canary: canaryModel && assignment.canary ? { model: canaryModel, percent: assignment.canary.percent } : null,
      shadows,
      origin: 'registry',
    };
    this.health.problem = next.production ? null : assignment.production ? 'model_error' : 'model_missing';
    this.swap(next);
    if (!keepPrev) await this.saveLkg(assignment, next, bytesByKey);
  }

  private swap(next: ModelSet): void {
    this.set = Object.freeze(next);
    const live = new Set([next.production, next.canary?.model, ...next.shadows].filter((m): m is LoadedModel => !!m).map((m) => key(m.ref)));
    for (const k of [...this.loaded.keys()]) if (!live.has(k)) this.loaded.delete(k);
  }

  private async saveLkg(assignment: ModelAssignment, set: ModelSet, fresh: Map<string, Uint8Array>): Promise<void> {
    const dir = this.opts.lkgDir;
    if (!dir) return;
    try {
      const regionDir = join(dir, this.opts.region);
      await mkdir(regionDir, { recursive: true });
      for (const [k, bytes] of fresh) {
        const m = this.loaded.get(k);
        if (!m) continue;
        const f = join(regionDir, fileName(m.ref));
        await writeFile(`${f}.tmp`, bytes);
        await rename(`${f}.tmp`, f);
      }
      const manifest = {
        savedAt: new Date().toISOString(),
        assignment: {
          production: set.production?.ref ?? null,
          canary: set.canary ? { ref: set.canary.model.ref, percent: set.canary.percent } : null,
          shadows: set.shadows.map((s) => s.ref),
        } satisfies ModelAssignment,
        requested: assignment,
      };
      const mf = join(regionDir, 'manifest.json');
      await writeFile(`${mf}.tmp`, JSON.stringify(manifest));
      await rename(`${mf}.tmp`, mf);
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message }, 'could not write last-known-good model cache');
    }
  }

  private async loadLkg(): Promise<void> {
    const dir = this.opts.lkgDir;
    if (!dir) return;
    const regionDir = join(dir, this.opts.region);
    let assignment: ModelAssignment;
    try {
      assignment = (JSON.parse(await readFile(join(regionDir, 'manifest.json'), 'utf8')) as { assignment: ModelAssignment }).assignment;
    } catch {
      return;
    }
    const get = async (ref: ModelRef): Promise<LoadedModel | null> => {
      try {
        const m = { ref, scorer: await this.opts.loader(await readFile(join(regionDir, fileName(ref))), ref) };
        this.loaded.set(key(ref), m);
        return m;
      } catch (err) {
        this.opts.logger?.warn({ model: `${ref.name}@${ref.version}`, err: (err as Error).message }, 'LKG model unusable');
        return null;
      }
    };
    const production = assignment.production ? await get(assignment.production) : null;
    const canary = assignment.canary ? await get(assignment.canary.ref) : null;
    const shadows = (await Promise.all((assignment.shadows ?? []).map(get))).filter((m): m is LoadedModel => m !== null);
    this.swap({ production, canary: canary && assignment.canary ? { model: canary, percent: assignment.canary.percent } : null, shadows, origin: 'lkg' });
    this.health.problem = production ? null : 'model_missing';
    this.opts.logger?.info({ production: production?.ref.version ?? null }, 'loaded last-known-good models');
  }
}
