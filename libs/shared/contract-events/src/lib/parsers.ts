import { decisionSchema, scoringRequestSchema, type Decision, type ScoringRequest } from './scoring.schema';
import { riskEventSchema, type RiskEvent } from './event.schema';
import { parseContract } from './validate';

export const parseScoringRequest = (input: unknown): ScoringRequest => parseContract(scoringRequestSchema, input, 'scoring request');
export const parseRiskEvent = (input: unknown): RiskEvent => parseContract(riskEventSchema, input, 'event');
export const parseDecision = (input: unknown): Decision => parseContract(decisionSchema, input, 'decision');
