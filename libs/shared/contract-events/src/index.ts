export {
  REGIONS,
  regionSchema,
  TOKEN_PATTERN,
  tokenSchema,
  idSchema,
  countrySchema,
  currencySchema,
  binSchema,
  timestampSchema,
  moneySchema,
  PAYMENT_TYPES,
  paymentTypeSchema,
  CHANNELS,
  channelSchema,
  ACTIONS,
  actionSchema,
  subjectSchema,
} from './lib/common.schema';
export type { Region, Money, Action, Subject } from './lib/common.schema';
export {
  SCORING_REQUEST_VERSION,
  scoringRequestSchema,
  DEGRADED_REASONS,
  degradedReasonSchema,
  degradedEntrySchema,
  decisionSchema,
} from './lib/scoring.schema';
export type { ScoringRequest, Decision, DegradedEntry } from './lib/scoring.schema';
export {
  EVENT_SCHEMA_VERSION,
  DECLINE_REASONS,
  LABEL_SOURCES,
  checkoutStartedSchema,
  decisionMadeSchema,
  paymentAuthorisedSchema,
  paymentDeclinedSchema,
  stepUpCompletedSchema,
  reviewCompletedSchema,
  orderFulfilledSchema,
  refundIssuedSchema,
  chargebackReceivedSchema,
  labelConfirmedSchema,
  riskEventSchema,
  RISK_EVENT_TYPES,
} from './lib/event.schema';
export type {
  RiskEvent,
  RiskEventType,
  RiskEventOf,
  CheckoutStartedEvent,
  DecisionMadeEvent,
  PaymentAuthorisedEvent,
  PaymentDeclinedEvent,
  StepUpCompletedEvent,
  ReviewCompletedEvent,
  OrderFulfilledEvent,
  RefundIssuedEvent,
  ChargebackReceivedEvent,
  LabelConfirmedEvent,
} from './lib/event.schema';
export { TOPICS, deadLetterTopic, QUEUES, CONSUMER_GROUPS } from './lib/topics.constants';
export type { Topic } from './lib/topics.constants';
export { parseContract, PAN_DETECTED } from './lib/validate';
export { containsPan, findPanPaths, luhnValid } from './lib/pan.guard';
export { parseScoringRequest, parseRiskEvent, parseDecision } from './lib/parsers';
export { exampleScoringRequest, exampleCheckoutStarted, exampleLabelConfirmed } from './lib/examples';
