import type { DType, EngineEvent, EntityDef, FeatureDef, WindowAgg, WindowedViewDef } from './feature-dsl';
import { DuplicateFeatureNameError, FeatureDefinitionError } from './feature-engine.errors';
import { fnv1a32 } from './hash';

/** One view as stored inside an entity's state: windows sorted ascending, fields kept only when read. */
export interface CompiledView {
  readonly def: WindowedViewDef;
  readonly index: number;
  readonly windows: readonly number[];
  readonly eventTypes: ReadonlySet<string>;
  readonly labelTypes: ReadonlySet<string>;
  /** oldest data any read can need: labelDelay + largest window (+ one bucket) */
  readonly span: number;
  readonly needSumSq: boolean;
  readonly needMinMax: boolean;
  readonly needLabels: boolean;
  readonly needDistinct: boolean;
}

/** All views keyed on one entity (or entity pair): they share one state blob. */
export interface EntityPlan {
  readonly name: string;
  readonly index: number;
  readonly keys: readonly string[];
  readonly views: readonly CompiledView[];
  /** max lateness of its views: one watermark per entity */
  readonly lateness: number;
  /** state older than this since its last event holds nothing any read can use (Redis TTL for the blob) */
  readonly stateTtl: number;
  readonly consumes: ReadonlySet<string>;
}

export type FeatureSlot =
  | { readonly kind: 'window'; readonly entity: number; readonly view: number; readonly window: number; readonly agg: WindowAgg }
  | {
      readonly kind: 'ratio';
      readonly entity: number;
      readonly numView: number;
      readonly numWindow: number;
      readonly numOf: string;
      readonly denView: number;
      readonly denWindow: number;
      readonly denOf: string;
    }
  | { readonly kind: 'request' };

export interface FeatureSet<F extends readonly FeatureDef[] = readonly FeatureDef[]> {
  readonly name: string;
  readonly version: number;
  readonly features: F;
  readonly featureNames: readonly F[number]['name'][];
  readonly dtypes: readonly DType[];
  readonly defaults: Float64Array;
  readonly ttls: Float64Array;
  readonly entities: readonly EntityPlan[];
  readonly entityByName: ReadonlyMap<string, EntityPlan>;
  readonly slots: readonly FeatureSlot[];
  /** event type -> entity plans that consume it */
  readonly routes: ReadonlyMap<string, readonly EntityPlan[]>;
  /** identifies the state layout; a blob written under another fingerprint is not decoded */
  readonly fingerprint: number;
}

export type FeatureName<S> = S extends FeatureSet<infer F> ? F[number]['name'] : never;
/** The typed vector of a set: `FeatureVector<typeof handbookFeatureSet>` has exactly its feature names. */
export type FeatureVector<S> = { readonly [K in FeatureName<S>]: number };

export function defineFeatureSet<const F extends readonly FeatureDef[]>(def: { name: string; version: number; features: F }): FeatureSet<F> {
  if (!Number.isInteger(def.version) || def.version < 1) throw new FeatureDefinitionError(`feature set "${def.name}" needs an integer version >= 1`);
  const seen = new Set<string>();
  for (const f of def.features) {
    if (seen.has(f.name)) throw new DuplicateFeatureNameError(f.name, def.name);
    seen.add(f.name);
  }

  // Collect views per entity key space, in first-use order.
  const viewsByEntity = new Map<string, { keys: string[]; views: WindowedViewDef[] }>();
  const addView = (v: WindowedViewDef): void => {
    let e = viewsByEntity.get(v.entityName);
    if (!e) {
      e = { keys: v.entities.map((x: EntityDef) => x.name), views: [] };
      viewsByEntity.set(v.entityName, e);
    }
    const same = e.views.find((x) => x.name === v.name);
    if (same && same !== v) throw new FeatureDefinitionError(`two different views are named "${v.name}"`);
    if (!same) e.views.push(v);
  };
  for (const f of def.features) {
    if (f.kind === 'window') addView(f.view);
    else if (f.kind === 'ratio') {
      addView(f.numerator.view);
      addView(f.denominator.view);
    }
  }

  const aggsOf = (v: WindowedViewDef): { windows: Set<number>; aggs: Set<string> } => {
    const windows = new Set<number>();
    const aggs = new Set<string>();
    for (const f of def.features) {
      if (f.kind === 'window' && f.view === v) {
        windows.add(f.window);
        aggs.add(f.agg);
      } else if (f.kind === 'ratio') {
        if (f.numerator.view === v) {
          windows.add(f.window);
          aggs.add(f.numerator.of);
        }
        if (f.denominator.view === v) {
          windows.add(f.window);
          aggs.add(f.denominator.of);
        }
      }
    }
    return { windows, aggs };
  };

  const entities: EntityPlan[] = [];
  for (const [name, e] of viewsByEntity) {
    const views: CompiledView[] = e.views.map((v, index) => {
      const { windows, aggs } = aggsOf(v);
      const sorted = [...windows].sort((a, b) => a - b);
      for (const w of sorted) {
        if (w % v.resolution !== 0) throw new FeatureDefinitionError(`view "${v.name}": window ${w} is not a multiple of its resolution`);
      }
      return {
        def: v,
        index,
        windows: sorted,
        eventTypes: new Set(v.events),
        labelTypes: new Set(v.labels?.events ?? []),
        span: v.labelDelay + sorted[sorted.length - 1] + v.resolution,
        needSumSq: aggs.has('std') || aggs.has('zscore'),
        needMinMax: aggs.has('min') || aggs.has('max'),
        needLabels: v.labels !== undefined,
        needDistinct: aggs.has('distinct'),
      };
    });
    const lateness = Math.max(...views.map((v) => v.def.lateness));
    const consumes = new Set<string>();
    for (const v of views) {
      v.eventTypes.forEach((t) => consumes.add(t));
      v.labelTypes.forEach((t) => consumes.add(t));
    }
    entities.push({
      name,
      index: entities.length,
      keys: e.keys,
      views,
      lateness,
      stateTtl: Math.max(...views.map((v) => v.span)) + lateness,
      consumes,
    });
  }
  const entityByName = new Map(entities.map((e) => [e.name, e]));
  const viewIndex = (v: WindowedViewDef): [number, number] => {
    const plan = entityByName.get(v.entityName) as EntityPlan;
    return [plan.index, plan.views.findIndex((x) => x.def === v)];
  };

  const slots: FeatureSlot[] = def.features.map((f): FeatureSlot => {
    if (f.kind === 'request') return { kind: 'request' };
    if (f.kind === 'window') {
      const [entity, view] = viewIndex(f.view);
      return { kind: 'window', entity, view, window: entities[entity].views[view].windows.indexOf(f.window), agg: f.agg };
    }
    const [entity, numView] = viewIndex(f.numerator.view);
    const [, denView] = viewIndex(f.denominator.view);
    return {
      kind: 'ratio',
      entity,
      numView,
      numWindow: entities[entity].views[numView].windows.indexOf(f.window),
      numOf: f.numerator.of,
      denView,
      denWindow: entities[entity].views[denView].windows.indexOf(f.window),
      denOf: f.denominator.of,
    };
  });

  const routes = new Map<string, EntityPlan[]>();
  for (const plan of entities) {
    for (const t of plan.consumes) {
      const list = routes.get(t) ?? [];
      list.push(plan);
      routes.set(t, list);
    }
  }

  const layout = entities
    .map((e) => `${e.name}:${e.lateness}:${e.views.map((v) => `${v.def.name}/${v.def.resolution}/${v.def.labelDelay}/${v.windows.join(',')}/${+v.needSumSq}${+v.needMinMax}${+v.needLabels}${+v.needDistinct}`).join(';')}`)
    .join('|');

  return {
    name: def.name,
    version: def.version,
    features: def.features,
    featureNames: def.features.map((f) => f.name),
    dtypes: def.features.map((f) => f.dtype),
    defaults: Float64Array.from(def.features.map((f) => f.default)),
    ttls: Float64Array.from(def.features.map((f) => f.ttl)),
    entities,
    entityByName,
    slots,
    routes,
    fingerprint: fnv1a32(`${def.name}@${def.version}#${layout}`),
  };
}

const KEY_SEPARATOR = '\u001f';

/** Token of an entity (pair) for an event, or undefined when the event lacks one of its keys. */
export function entityToken(plan: EntityPlan, event: Pick<EngineEvent, 'entities'>): string | undefined {
  if (plan.keys.length === 1) return event.entities[plan.keys[0]];
  let token = '';
  for (let i = 0; i < plan.keys.length; i++) {
    const part = event.entities[plan.keys[i]];
    if (part === undefined) return undefined;
    token = i === 0 ? part : token + KEY_SEPARATOR + part;
  }
  return token;
}

/** Pure, stable storage key of one entity's packed state (one blob per entity in the online store). */
export function entityStateKey(set: FeatureSet, entityName: string, token: string): string {
  return `fs:${set.name}:v${set.version}:${entityName}:${token}`;
}

/** Name -> value record, typed by the set. */
export function toFeatureRecord<S extends FeatureSet>(set: S, values: ArrayLike<number>): FeatureVector<S> {
  const out: Record<string, number> = {};
  for (let i = 0; i < set.featureNames.length; i++) out[set.featureNames[i]] = values[i];
  return out as FeatureVector<S>;
}

/** The model encoding: features in `featureNames` order as float32. */
export function toFloat32(set: FeatureSet, values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(set.featureNames.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i];
  return out;
}
