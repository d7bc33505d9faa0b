import { z } from 'zod';

export const REGIONS = ['eu', 'us', 'apac'] as const;
export const regionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof regionSchema>;

/**
 * A keyed token standing in for an identifier: `tok_<keyId>_<base64url digest>`. The key id lets keys rotate;
 * tokens are what every event, log line and feature key carries — never the raw value.
 */
export const TOKEN_PATTERN = /^tok_[a-z0-9]{1,16}_[A-Za-z0-9_-]{16,64}$/;
export const tokenSchema = z.string().regex(TOKEN_PATTERN, 'must be a keyed token (tok_<keyId>_<digest>), not a raw identifier');

/** Ids minted by our own systems (checkout, merchant, payment method) — opaque, not personal. */
export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be an opaque id [A-Za-z0-9_.:-]');
export const countrySchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code');
export const binSchema = z.string().regex(/^\d{6,8}$/, 'must be a 6-8 digit BIN');
export const timestampSchema = z.iso.datetime({ offset: true });

export const moneySchema = z.strictObject({
  value: z.number().finite().nonnegative().max(1e9),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

export const PAYMENT_TYPES = ['card', 'wallet', 'bnpl', 'bank_transfer', 'cash_on_delivery', 'gift_card'] as const;
export const paymentTypeSchema = z.enum(PAYMENT_TYPES);

export const CHANNELS = ['web', 'app', 'api'] as const;
export const channelSchema = z.enum(CHANNELS);

export const ACTIONS = ['allow', 'step_up', 'route', 'review', 'hold_fulfillment', 'decline'] as const;
export const actionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof actionSchema>;

/** Entity tokens of one checkout, carried by follow-up events so features update without a join. */
export const subjectSchema = z.strictObject({
  accountToken: tokenSchema,
  cardToken: tokenSchema.optional(),
  deviceToken: tokenSchema.optional(),
  ipToken: tokenSchema.optional(),
  emailToken: tokenSchema.optional(),
  addressToken: tokenSchema.optional(),
  merchantId: idSchema,
  paymentMethodId: idSchema,
  bin: binSchema.optional(),
});
export type Subject = z.infer<typeof subjectSchema>;
