import { FeatureDefinitionError } from './feature-engine.errors';

/** Closed on purpose: every feature is a numeric model input. */
export type DType = 'float32' | 'int32' | 'bool';

/**
 * The one event shape the engine consumes (contract events are mapped onto it by adapters).
 * `entities` is keyed by entity name and holds tokens, never raw PII.
 * Label events carry `ref`: the labelled transaction's id and time.
 */
export interface EngineEvent {
  readonly eventId: string;
  readonly type: string;
  /** epoch ms */
  readonly time: number;
  readonly entities: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, number | string | boolean>>;
  readonly ref?: { readonly eventId: string; readonly time: number };
}

/** A scoring request is the event being scored (e.g. the checkout attempt); its time is the read time. */
export type FeatureRequest = EngineEvent;

export interface EntityDef<N extends string = string> {
  readonly kind: 'entity';
  readonly name: N;
  /** Field in the source data that holds the token (documentation and adapters). */
  readonly keyField: string;
  readonly description: string;
}

/** Keys are tokens (hashes, vault tokens, surrogate ids). Raw e-mails or card numbers are rejected at routing time. */
export function defineEntity<const N extends string>(def: { name: N; keyField: string; description: string }): EntityDef<N> {
  if (!/^[a-z][a-z0-9_]*$/.test(def.name)) {
    throw new FeatureDefinitionError(`entity name "${def.name}" must be snake_case`, [{ path: 'name', message: 'snake_case required' }]);
  }
  return { kind: 'entity', ...def };
}

export interface WindowedViewDef {
  readonly kind: 'windowed';
  readonly name: string;
  /** One entity, or several for pair features ("this device seen before for this account"). */
  readonly entities: readonly EntityDef[];
  /** Name of the state key space: entity names joined by '+'. */
  readonly entityName: string;
  readonly events: readonly string[];
  /** Numeric value aggregated by sum/avg/min/max/std; defaults to 1. */
  readonly value?: (e: EngineEvent) => number;
  /** Value whose distinct count is kept (KMV sketch: exact below `distinctK` values, estimated above). */
  readonly distinct?: (e: EngineEvent) => string | undefined;
  readonly distinctK: number;
  /** Label events (with `ref`) credit the labelled transaction's bucket. */
  readonly labels?: { readonly events: readonly string[]; readonly value?: (e: EngineEvent) => number };
  /** Window (t-(d+w), t-d]; labels are visible only once arrived (label time <= t). */
  readonly labelDelay: number;
  /** Bucket size in ms: 1000 is exact for second-granular data. */
  readonly resolution: number;
  /** Count the event at the read time itself: window (t-w, t] instead of (t-w, t). */
  readonly includeCurrent: boolean;
  /** Events older than (newest event of the entity - lateness) are dropped; within it order does not matter. */
  readonly lateness: number;
}

export interface WindowedViewInput {
  name: string;
  entity: EntityDef | readonly EntityDef[];
  events: readonly string[];
  value?: (e: EngineEvent) => number;
  distinct?: (e: EngineEvent) => string | undefined;
  distinctK?: number;
  labels?: { events: readonly string[]; value?: (e: EngineEvent) => number };
  labelDelay?: number;
  resolution?: number;
  includeCurrent?: boolean;
  lateness?: number;
}

export function defineWindowedView(input: WindowedViewInput): WindowedViewDef {
  const entities = Array.isArray(input.entity) ? (input.entity as readonly EntityDef[]) : [input.entity as EntityDef];
  const resolution = input.resolution ?? 1000;
  const labelDelay = input.labelDelay ?? 0;
  const issues: { path: string; message: string }[] = [];
  if (entities.length === 0) issues.push({ path: 'entity', message: 'at least one entity' });
  if (!(Number.isInteger(resolution) && resolution >= 1)) issues.push({ path: 'resolution', message: 'integer ms >= 1' });
  if (labelDelay < 0 || (labelDelay > 0 && labelDelay < resolution)) issues.push({ path: 'labelDelay', message: 'must be 0 or >= resolution' });
  if (input.events.length === 0 && !input.labels) issues.push({ path: 'events', message: 'consumes no events' });
  if ((input.lateness ?? 0) < 0) issues.push({ path: 'lateness', message: 'must be >= 0' });
  if (input.distinctK !== undefined && !(Number.isInteger(input.distinctK) && input.distinctK >= 2 && input.distinctK <= 255)) {
    issues.push({ path: 'distinctK', message: 'integer in [2, 255]' });
  }
  if (issues.length) throw new FeatureDefinitionError(`view "${input.name}" is invalid`, issues);
  return {
    kind: 'windowed',
    name: input.name,
    entities,
    entityName: entities.map((e) => e.name).join('+'),
    events: input.events,
    value: input.value,
    distinct: input.distinct,
    distinctK: input.distinctK ?? 64,
    labels: input.labels,
    labelDelay,
    resolution,
    includeCurrent: input.includeCurrent ?? true,
    lateness: input.lateness ?? 0,
  };
}

/**
 * count/sum/avg/min/max/std over the view's value; zscore and ratioToAvg compare the request's own value with the window;
 * distinct over the view's distinct key; labelCount/labelSum over arrived labels and labelRate = labelSum / count;
 * sinceLast = seconds since the newest earlier event in the window; absent = 1 when the window holds no event
 * ("new device for this account" with includeCurrent: false).
 */
export type WindowAgg =
  | 'count'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'std'
  | 'zscore'
  | 'ratioToAvg'
  | 'distinct'
  | 'labelCount'
  | 'labelSum'
  | 'labelRate'
  | 'sinceLast'
  | 'absent';

export type RatioTerm = 'count' | 'sum' | 'labelCount' | 'labelSum';

interface FeatureCommon<N extends string> {
  readonly name: N;
  readonly dtype: DType;
  /** Value served when the feature is missing, undefined (e.g. avg of nothing) or stale. */
  readonly default: number;
  /** Staleness: older than this since the entity's last event counts as missing. Infinity = bounded by the state TTL only. */
  readonly ttl: number;
}

export interface WindowFeatureDef<N extends string = string> extends FeatureCommon<N> {
  readonly kind: 'window';
  readonly view: WindowedViewDef;
  readonly agg: WindowAgg;
  readonly window: number;
}

export interface RatioFeatureDef<N extends string = string> extends FeatureCommon<N> {
  readonly kind: 'ratio';
  readonly numerator: { readonly view: WindowedViewDef; readonly of: RatioTerm };
  readonly denominator: { readonly view: WindowedViewDef; readonly of: RatioTerm };
  readonly window: number;
}

export interface RequestFeatureDef<N extends string = string> extends FeatureCommon<N> {
  readonly kind: 'request';
  /** Pure function of the request; undefined/NaN means missing. */
  readonly compute: (request: FeatureRequest) => number | boolean | undefined;
}

export type FeatureDef<N extends string = string> = WindowFeatureDef<N> | RatioFeatureDef<N> | RequestFeatureDef<N>;

interface CommonInput {
  dtype?: DType;
  default?: number;
  ttl?: number;
}

const DEFAULT_DTYPE: Record<WindowAgg, DType> = {
  count: 'int32',
  sum: 'float32',
  avg: 'float32',
  min: 'float32',
  max: 'float32',
  std: 'float32',
  zscore: 'float32',
  ratioToAvg: 'float32',
  distinct: 'int32',
  labelCount: 'int32',
  labelSum: 'float32',
  labelRate: 'float32',
  sinceLast: 'float32',
  absent: 'bool',
};

function checkWindow(name: string, window: number): void {
  if (!(window > 0 && Number.isFinite(window))) {
    throw new FeatureDefinitionError(`feature "${name}" needs a positive finite window`, [{ path: `${name}.window`, message: 'positive ms' }]);
  }
}

export function windowFeature<const N extends string>(
  name: N,
  view: WindowedViewDef,
  spec: CommonInput & { agg: WindowAgg; window: number },
): WindowFeatureDef<N> {
  checkWindow(name, spec.window);
  if (spec.agg === 'distinct' && !view.distinct) {
    throw new FeatureDefinitionError(`feature "${name}" counts distinct values but view "${view.name}" has no distinct key`);
  }
  if ((spec.agg === 'labelCount' || spec.agg === 'labelSum' || spec.agg === 'labelRate') && !view.labels) {
    throw new FeatureDefinitionError(`feature "${name}" reads labels but view "${view.name}" consumes none`);
  }
  if (spec.window % view.resolution !== 0) {
    throw new FeatureDefinitionError(`feature "${name}": window must be a multiple of the view resolution`);
  }
  return { kind: 'window', name, view, agg: spec.agg, window: spec.window, dtype: spec.dtype ?? DEFAULT_DTYPE[spec.agg], default: spec.default ?? 0, ttl: spec.ttl ?? Infinity };
}

export function ratioFeature<const N extends string>(
  name: N,
  spec: CommonInput & {
    numerator: { view: WindowedViewDef; of: RatioTerm };
    denominator: { view: WindowedViewDef; of: RatioTerm };
    window: number;
  },
): RatioFeatureDef<N> {
  checkWindow(name, spec.window);
  if (spec.numerator.view.entityName !== spec.denominator.view.entityName) {
    throw new FeatureDefinitionError(`ratio "${name}" must use views of one entity`);
  }
  return {
    kind: 'ratio',
    name,
    numerator: spec.numerator,
    denominator: spec.denominator,
    window: spec.window,
    dtype: spec.dtype ?? 'float32',
    default: spec.default ?? 0,
    ttl: spec.ttl ?? Infinity,
  };
}

export function requestFeature<const N extends string>(
  name: N,
  spec: CommonInput & { compute: (request: FeatureRequest) => number | boolean | undefined },
): RequestFeatureDef<N> {
  return { kind: 'request', name, compute: spec.compute, dtype: spec.dtype ?? 'float32', default: spec.default ?? 0, ttl: spec.ttl ?? Infinity };
}
