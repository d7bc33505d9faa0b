export { ScorerClient, ScorerRejectedError } from './lib/scorer.client';
export type { ScorerClientOptions, FailOpenPolicy, ClientDecision } from './lib/scorer.client';
