import { z } from 'zod';
import { ACTIONS, PAYMENT_TYPES, REGIONS } from '@risk/contract-events';
import { logisticModelSchema } from '../model/logistic-model';

const actionEnum = z.enum(ACTIONS);
const fraction = z.number().min(0).max(1);

/** Economics of one action: how much fraud it stops and what it costs a legitimate shopper. */
const actionCostSchema = z.strictObject({
  /** Share of the fraud loss the action prevents (allow: 0, decline: 1). */
  fraudCatch: fraction,
  /** Fixed cost per use (3DS fee, analyst minutes, ...), in the request currency. */
  fixedCost: z.number().nonnegative(),
  /** Share of legitimate shoppers lost (abandonment or false decline), costing `margin × amount` each. */
  abandonRate: fraction,
});

const costsSchema = z.strictObject({
  lossFactor: z.number().positive().max(10),
  margin: fraction,
  actions: z.partialRecord(actionEnum, actionCostSchema),
});

const segmentSchema = z.strictObject({
  region: z.enum(REGIONS).optional(),
  paymentType: z.enum(PAYMENT_TYPES).optional(),
  lossFactor: z.number().positive().max(10).optional(),
  margin: fraction.optional(),
  actions: z.partialRecord(actionEnum, actionCostSchema).optional(),
  /** Actions not available for this segment (e.g. no 3DS for bank transfers). */
  disabled: z.array(actionEnum).optional(),
});

const conditionSchema = z.strictObject({
  amountAbove: z.number().nonnegative().optional(),
  guest: z.boolean().optional(),
  accountAgeDaysBelow: z.number().nonnegative().optional(),
  countryMismatch: z.boolean().optional(),
  digitalGoods: z.boolean().optional(),
  highRiskCategory: z.boolean().optional(),
  channel: z.enum(['web', 'app', 'api']).optional(),
});
export type RuleCondition = z.infer<typeof conditionSchema>;

const ruleSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
  when: conditionSchema,
  action: actionEnum,
  /** Score reported when this rule decides (rules-only mode has no model probability). */
  score: fraction,
});
export type HardRule = z.infer<typeof ruleSchema>;

const velocityLimitSchema = z.strictObject({
  entity: z.enum(['account', 'card', 'device', 'ip', 'email']),
  windowMs: z.number().int().positive().max(86_400_000),
  max: z.number().int().positive(),
  action: actionEnum,
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
});
export type VelocityLimit = z.infer<typeof velocityLimitSchema>;

export const policyConfigSchema = z.strictObject({
  version: z.string().min(1).max(64),
  lists: z.strictObject({
    allowTokens: z.array(z.string()).default([]),
    blockTokens: z.array(z.string()).default([]),
    blockBins: z.array(z.string().regex(/^\d{6,8}$/)).default([]),
    blockMerchants: z.array(z.string()).default([]),
    allowMerchants: z.array(z.string()).default([]),
  }),
  /** Evaluated in triage on every request; the first match decides immediately (no model needed). */
  hardRules: z.array(ruleSchema).default([]),
  velocity: z.array(velocityLimitSchema).default([]),
  costs: costsSchema,
  segments: z.array(segmentSchema).default([]),
  guardrails: z.strictObject({
    windowMs: z.number().int().positive(),
    minSamples: z.number().int().nonnegative(),
    maxDeclineRate: fraction,
    maxStepUpRate: fraction,
  }),
  /** When no model can score: ordered rules, first match wins, else `default`. */
  rulesOnly: z.strictObject({ rules: z.array(ruleSchema), default: actionEnum, defaultScore: fraction }),
  /** Scores on request-time features only, used when online features are missing or late. */
  fallbackModel: logisticModelSchema,
  /** Step-up method and safer route reported with those actions. */
  stepUpMethod: z.enum(['3ds', 'otp']).default('3ds'),
  safeRoute: z.string().max(64).default('psp_3ds_liability_shift'),
});
export type PolicyConfig = z.infer<typeof policyConfigSchema>;
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;

export function parsePolicyConfig(input: unknown): PolicyConfig {
  return policyConfigSchema.parse(input);
}
