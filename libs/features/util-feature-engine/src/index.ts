export { SECOND, MINUTE, HOUR, DAY, seconds, minutes, hours, days } from './lib/duration';
export {
  FeatureDefinitionError,
  DuplicateFeatureNameError,
  EntityKeyNotTokenError,
  EntityStateDecodeError,
  UnsortedInputError,
} from './lib/feature-engine.errors';
export { defineEntity, defineWindowedView, windowFeature, ratioFeature, requestFeature } from './lib/feature-dsl';
export type {
  DType,
  EngineEvent,
  FeatureRequest,
  EntityDef,
  WindowedViewDef,
  WindowedViewInput,
  WindowAgg,
  RatioTerm,
  FeatureDef,
  WindowFeatureDef,
  RatioFeatureDef,
  RequestFeatureDef,
} from './lib/feature-dsl';
export { defineFeatureSet, entityStateKey, entityToken, toFeatureRecord, toFloat32 } from './lib/feature-set';
export type { FeatureSet, FeatureName, FeatureVector, EntityPlan, CompiledView } from './lib/feature-set';
export { EntityState, createEntityState, applyEvent, routeEvent, requestEntityKeys, looksLikeRawPii } from './lib/entity-state';
export type { ApplyOutcome, EntityRoute } from './lib/entity-state';
export { encodeEntityState, decodeEntityState, ENTITY_STATE_FORMAT } from './lib/state-codec';
export { readVector, readInto } from './lib/read-vector';
export type { StateLookup, TokenStateLookup, FeatureRead, ReadOptions } from './lib/read-vector';
export { BatchReplayer, computeBatch } from './lib/batch-replay';
export type { BatchResult, RowSink } from './lib/batch-replay';
export { runStreaming } from './lib/streaming-runner';
export type { StreamingRunOptions } from './lib/streaming-runner';
