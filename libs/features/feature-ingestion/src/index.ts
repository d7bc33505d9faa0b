export { IngestEventUseCase } from './lib/ingest-event.use-case';
export type { IngestEventDeps, IngestResult, FeatureStateWriter } from './lib/ingest-event.use-case';
export { engineEventEnvelope, engineEventEnvelopeSchema, ENGINE_EVENT_KIND } from './lib/engine-event.envelope';
export type { EngineEventEnvelope } from './lib/engine-event.envelope';
export { IngestEventInvalidError } from './lib/ingestion.errors';
export { BackfillFeatureUseCase } from './lib/backfill.use-case';
export type { BackfillCommand, BackfillResult, FeatureStateWarmer } from './lib/backfill.use-case';
export { JoinServedLabelsUseCase } from './lib/join-served-labels.use-case';
export type { ServedLabelWriter } from './lib/join-served-labels.use-case';
