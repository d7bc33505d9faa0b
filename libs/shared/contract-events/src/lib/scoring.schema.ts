import { z } from 'zod';
import {
  actionSchema,
  binSchema,
  channelSchema,
  countrySchema,
  idSchema,
  moneySchema,
  paymentTypeSchema,
  regionSchema,
  timestampSchema,
  tokenSchema,
} from './common.schema';

export const SCORING_REQUEST_VERSION = '1' as const;

/**
 * What the checkout service sends to POST /v1/decisions. Personal identifiers (email, phone, IP, device id,
 * shipping address) may arrive raw: the scorer tokenises them at the edge before anything is logged or stored.
 * The card is only ever a PSP token plus derived values (BIN, country, network); a raw PAN anywhere is rejected.
 */
export const scoringRequestSchema = z.strictObject({
  schemaVersion: z.literal(SCORING_REQUEST_VERSION),
  checkoutId: idSchema,
  region: regionSchema,
  occurredAt: timestampSchema,
  channel: channelSchema,
  amount: moneySchema,
  merchant: z.strictObject({
    id: idSchema,
    mcc: z.string().regex(/^\d{4}$/, 'must be a 4-digit MCC'),
    country: countrySchema,
  }),
  shopper: z.strictObject({
    accountId: idSchema,
    accountCreatedAt: timestampSchema,
    isGuest: z.boolean(),
    email: z.email().max(254),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number')
      .optional(),
  }),
  device: z.strictObject({
    id: z.string().min(1).max(128),
    ip: z.union([z.ipv4(), z.ipv6()]),
    ipCountry: countrySchema.optional(),
    userAgentFamily: z.string().max(64).optional(),
  }),
  payment: z.strictObject({
    methodId: idSchema,
    type: paymentTypeSchema,
    card: z
      .strictObject({
        token: tokenSchema.describe('PSP card token / fingerprint; never the PAN'),
        bin: binSchema,
        country: countrySchema,
        network: z.string().min(2).max(32),
      })
      .optional(),
  }),
  shipping: z.strictObject({
    address: z.strictObject({
      line1: z.string().min(1).max(200),
      city: z.string().min(1).max(100),
      postalCode: z.string().min(1).max(20),
      country: countrySchema,
    }),
    method: z.enum(['standard', 'express', 'pickup', 'digital']),
  }),
  items: z.strictObject({
    count: z.number().int().positive().max(10_000),
    digitalGoods: z.boolean(),
    highRiskCategory: z.boolean(),
  }),
});
export type ScoringRequest = z.infer<typeof scoringRequestSchema>;

export const DEGRADED_REASONS = [
  'features_timeout',
  'features_unavailable',
  'features_stale',
  'model_missing',
  'model_error',
  'model_timeout',
  'registry_unavailable',
  'overload_shed',
  'event_log_unavailable',
  'policy_fallback',
] as const;
export const degradedReasonSchema = z.enum(DEGRADED_REASONS);

export const degradedEntrySchema = z.strictObject({
  stage: z.enum(['triage', 'features', 'model', 'policy', 'service']),
  reason: degradedReasonSchema,
});
export type DegradedEntry = z.infer<typeof degradedEntrySchema>;

export const decisionSchema = z.strictObject({
  schemaVersion: z.literal('1'),
  requestId: z.uuid(),
  checkoutId: idSchema,
  region: regionSchema,
  action: actionSchema,
  score: z.number().min(0).max(1).describe('calibrated probability of fraud'),
  reasonCodes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/)).max(32),
  stepUp: z.strictObject({ method: z.enum(['3ds', 'otp']) }).optional(),
  route: z.strictObject({ paymentPath: z.string().max(64) }).optional(),
  modelVersion: z.string().max(128).nullable(),
  policyVersion: z.string().max(64),
  timings: z.strictObject({
    triageMs: z.number().nonnegative(),
    featuresMs: z.number().nonnegative(),
    modelMs: z.number().nonnegative(),
    policyMs: z.number().nonnegative(),
    totalMs: z.number().nonnegative(),
  }),
  degraded: z.array(degradedEntrySchema),
});
export type Decision = z.infer<typeof decisionSchema>;
