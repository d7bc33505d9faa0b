import { z } from 'zod';
import {
  actionSchema,
  countrySchema,
  idSchema,
  moneySchema,
  paymentTypeSchema,
  regionSchema,
  subjectSchema,
  timestampSchema,
  tokenSchema,
} from './common.schema';
import { degradedEntrySchema } from './scoring.schema';

export const EVENT_SCHEMA_VERSION = 1 as const;

const envelope = {
  eventId: z.uuid(),
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  occurredAt: timestampSchema,
  region: regionSchema,
};

/** The original transaction a late label refers to: its id and its time, so label-delayed windows can place it. */
const originalSchema = z.strictObject({ checkoutId: idSchema, occurredAt: timestampSchema });

export const checkoutStartedSchema = z.strictObject({
  ...envelope,
  type: z.literal('checkout.started'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    amount: moneySchema,
    channel: z.enum(['web', 'app', 'api']),
    accountCreatedAt: timestampSchema,
    isGuest: z.boolean(),
    paymentType: paymentTypeSchema,
    binCountry: countrySchema.optional(),
    ipCountry: countrySchema.optional(),
    shippingCountry: countrySchema,
    merchantCountry: countrySchema,
    mcc: z.string().regex(/^\d{4}$/),
    itemCount: z.number().int().positive(),
    digitalGoods: z.boolean(),
    highRiskCategory: z.boolean(),
    shippingMethod: z.enum(['standard', 'express', 'pickup', 'digital']),
  }),
});

export const decisionMadeSchema = z.strictObject({
  ...envelope,
  type: z.literal('decision.made'),
  payload: z.strictObject({
    requestId: z.uuid(),
    checkoutId: idSchema,
    subject: subjectSchema,
    action: actionSchema,
    score: z.number().min(0).max(1),
    reasonCodes: z.array(z.string()).max(32),
    modelVersion: z.string().nullable(),
    policyVersion: z.string(),
    featureSet: z.strictObject({ name: z.string(), version: z.string() }),
    features: z.record(z.string(), z.number()),
    timings: z.record(z.string(), z.number()),
    degraded: z.array(degradedEntrySchema),
    arm: z.enum(['production', 'canary']),
    shadow: z.array(z.strictObject({ modelVersion: z.string(), score: z.number(), action: actionSchema })).optional(),
  }),
});

export const paymentAuthorisedSchema = z.strictObject({
  ...envelope,
  type: z.literal('payment.authorised'),
  payload: z.strictObject({ checkoutId: idSchema, paymentId: idSchema, subject: subjectSchema, amount: moneySchema }),
});

export const DECLINE_REASONS = [
  'insufficient_funds',
  'do_not_honor',
  'stolen_card',
  'lost_card',
  'suspected_fraud',
  'invalid_cvv',
  'expired_card',
  'limit_exceeded',
  'issuer_unavailable',
  'other',
] as const;

export const paymentDeclinedSchema = z.strictObject({
  ...envelope,
  type: z.literal('payment.declined'),
  payload: z.strictObject({
    checkoutId: idSchema,
    paymentId: idSchema,
    subject: subjectSchema,
    amount: moneySchema,
    reason: z.enum(DECLINE_REASONS),
  }),
});

export const stepUpCompletedSchema = z.strictObject({
  ...envelope,
  type: z.literal('stepup.completed'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    method: z.enum(['3ds', 'otp']),
    outcome: z.enum(['passed', 'failed', 'abandoned']),
  }),
});

export const reviewCompletedSchema = z.strictObject({
  ...envelope,
  type: z.literal('review.completed'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    reviewerToken: tokenSchema,
    outcome: z.enum(['approved', 'rejected']),
  }),
});

export const orderFulfilledSchema = z.strictObject({
  ...envelope,
  type: z.literal('order.fulfilled'),
  payload: z.strictObject({ checkoutId: idSchema, orderId: idSchema, subject: subjectSchema }),
});

export const refundIssuedSchema = z.strictObject({
  ...envelope,
  type: z.literal('refund.issued'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    amount: moneySchema,
    reason: z.enum(['customer_request', 'not_received', 'damaged', 'fraud', 'other']),
  }),
});

export const chargebackReceivedSchema = z.strictObject({
  ...envelope,
  type: z.literal('chargeback.received'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    original: originalSchema,
    amount: moneySchema,
    reasonCategory: z.enum(['fraud', 'not_received', 'not_as_described', 'duplicate', 'other']),
  }),
});

export const LABEL_SOURCES = ['chargeback', 'issuer_fraud_report', 'manual_review', 'customer_confirmed', 'authorisation_failure', 'maturity'] as const;

export const labelConfirmedSchema = z.strictObject({
  ...envelope,
  type: z.literal('label.confirmed'),
  payload: z.strictObject({
    checkoutId: idSchema,
    subject: subjectSchema,
    original: originalSchema,
    label: z.enum(['fraud', 'legitimate']),
    source: z.enum(LABEL_SOURCES),
  }),
});

export const riskEventSchema = z.discriminatedUnion('type', [
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
]);

export type RiskEvent = z.infer<typeof riskEventSchema>;
export type RiskEventType = RiskEvent['type'];
export type RiskEventOf<T extends RiskEventType> = Extract<RiskEvent, { type: T }>;
export type CheckoutStartedEvent = RiskEventOf<'checkout.started'>;
export type DecisionMadeEvent = RiskEventOf<'decision.made'>;
export type PaymentAuthorisedEvent = RiskEventOf<'payment.authorised'>;
export type PaymentDeclinedEvent = RiskEventOf<'payment.declined'>;
export type StepUpCompletedEvent = RiskEventOf<'stepup.completed'>;
export type ReviewCompletedEvent = RiskEventOf<'review.completed'>;
export type OrderFulfilledEvent = RiskEventOf<'order.fulfilled'>;
export type RefundIssuedEvent = RiskEventOf<'refund.issued'>;
export type ChargebackReceivedEvent = RiskEventOf<'chargeback.received'>;
export type LabelConfirmedEvent = RiskEventOf<'label.confirmed'>;

export const RISK_EVENT_TYPES = riskEventSchema.options.map((o) => o.shape.type.value) as RiskEventType[];
