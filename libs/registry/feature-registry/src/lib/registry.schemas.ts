import { z } from 'zod';
import { ValidationError } from '@risk/util-errors';
import { STAGES } from './stage-machine';

const num = z.number().finite();
const curvePoint = z.object({ x: num.min(0).max(1), y: num.min(0).max(1), threshold: num.optional() });

/** Evaluation metrics: headline numbers, ROC (x=fpr, y=tpr) and PR (x=recall, y=precision) curves, per-segment numbers. */
export const metricsSchema = z.object({
  summary: z.record(z.string().max(60), num).refine((r) => Object.keys(r).length <= 50, 'at most 50 summary metrics'),
  roc: z.array(curvePoint).max(2000).default([]),
  pr: z.array(curvePoint).max(2000).default([]),
  segments: z
    .array(z.object({ name: z.string().min(1).max(80), values: z.record(z.string().max(60), num) }))
    .max(200)
    .default([]),
});
export type Metrics = z.infer<typeof metricsSchema>;

const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(2000);
const evidence = z.record(z.string(), z.unknown()).default({});
const regionField = z.string().min(2).max(16);

export const listRequestsQuerySchema = z.object({
  model: z.string().max(100).optional(),
  status: z.enum(['pending', 'approved', 'rejected', 'executed', 'cancelled']).optional(),
});

export const createModelSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lower-case letters, digits, . _ -'),
  description: z.string().max(2000).default(''),
});

export const registerVersionSchema = z.object({
  artifactSha256: z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256'),
  artifactSizeBytes: z.number().int().min(1),
  metrics: metricsSchema,
  lineage: z.object({
    trainingJobId: z.string().min(1).max(200),
    dataWindowStart: z.iso.datetime({ offset: true }),
    dataWindowEnd: z.iso.datetime({ offset: true }),
    featureSetName: z.string().min(1).max(200),
    featureSetVersion: z.string().min(1).max(100),
    codeCommit: z.string().min(4).max(100),
  }),
  policyVersion: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
});
export type RegisterVersionInput = z.infer<typeof registerVersionSchema>;

export const transitionSchema = z.object({ region: regionField, toStage: z.enum(STAGES), reason, evidence });
export const promotionRequestSchema = z.object({ region: regionField, targetStage: z.enum(['canary', 'production']), reason, evidence });
export const approvalSchema = z.object({ comment: z.string().max(2000).default('') });
export const executeSchema = z.object({
  reason: z.string().max(2000).optional(),
  evidence,
  freezeOverride: z.object({ reason }).optional(),
});
export const rollbackSchema = z.object({ reason, evidence });
export const aliasSchema = z.object({ versionId: z.uuid() });
export const freezeSchema = z
  .object({
    name: z.string().min(1).max(200),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    regions: z.array(regionField).default([]),
    reason,
  })
  .refine((f) => Date.parse(f.startsAt) < Date.parse(f.endsAt), { message: 'startsAt must be before endsAt', path: ['endsAt'] });
export const rolloutStepSchema = z.object({
  region: regionField,
  step: z.string().min(1).max(100),
  trafficPercent: z.number().min(0).max(100).optional(),
  status: z.string().min(1).max(40),
  details: z.record(z.string(), z.unknown()).default({}),
});
export const evidenceSchema = z.object({ kind: z.string().min(1).max(100), region: regionField.optional(), data: z.record(z.string(), z.unknown()) });
export const webhookSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16, 'use a secret of at least 16 characters').max(200),
  eventTypes: z.array(z.string().max(100)).default([]),
});
export const auditQuerySchema = z.object({
  model: z.string().max(100).optional(),
  versionId: z.uuid().optional(),
  region: regionField.optional(),
  action: z.string().max(100).optional(),
  beforeSeq: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const liveAtQuerySchema = z.object({ region: regionField, at: z.iso.datetime({ offset: true }), model: z.string().max(100).optional() });
export const eventsQuerySchema = z.object({ afterSeq: z.coerce.number().int().min(0).max(2_147_483_647).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) });

/** Parses untrusted input into a typed command or throws a 400 with every issue listed. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    throw new ValidationError(
      'Request is invalid',
      r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message, code: i.code })),
    );
  }
  return r.data;
}
