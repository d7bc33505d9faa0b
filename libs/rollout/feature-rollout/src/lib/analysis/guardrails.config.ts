import { z } from 'zod';

const rateGuardrail = z.object({
  /** Tolerated relative worsening vs production (1.2 = 20% more declines is still fine). */
  ratio: z.number().min(1).default(1.2),
  /** Tolerated absolute worsening (rate points). */
  margin: z.number().min(0).default(0.005),
  enabled: z.boolean().default(true),
});

/** Canary guardrails; every threshold is configurable per rollout. */
export const guardrailConfigSchema = z.object({
  /** Type-I error per guardrail family per step (Bonferroni across the segments of the family). */
  alpha: z.number().gt(0).lt(0.5).default(0.01),
  /** mSPRT mixing scale: the absolute rate difference the test is most sensitive to. */
  tau: z.number().gt(0).default(0.05),
  /** Decisions per arm before any rate guardrail may breach, overall and per segment. */
  minSamples: z.number().int().min(1).default(200),
  declineRate: rateGuardrail.default({ ratio: 1.2, margin: 0.005, enabled: true }),
  stepUpRate: rateGuardrail.default({ ratio: 1.2, margin: 0.005, enabled: true }),
  authFailureRate: rateGuardrail.default({ ratio: 1.2, margin: 0.005, enabled: true }),
  errorRate: rateGuardrail.default({ ratio: 1.5, margin: 0.002, enabled: true }),
  degradedRate: rateGuardrail.default({ ratio: 1.5, margin: 0.01, enabled: true }),
  /** A p99 rests on its top 1%: below ~1,000 decisions per arm it is a handful of samples, so it waits for them. */
  latencyP99: z
    .object({ ratio: z.number().min(1).default(1.5), marginMs: z.number().min(0).default(5), minSamples: z.number().int().min(1).default(1000), enabled: z.boolean().default(true) })
    .default({ ratio: 1.5, marginMs: 5, minSamples: 1000, enabled: true }),
  /** PSI of the canary's scores against production's over the same period. */
  scoreDrift: z
    .object({ maxPsi: z.number().gt(0).default(0.5), minSamples: z.number().int().min(1).default(200), enabled: z.boolean().default(true) })
    .default({ maxPsi: 0.5, minSamples: 200, enabled: true }),
});
export type GuardrailConfig = z.infer<typeof guardrailConfigSchema>;
export type GuardrailConfigInput = z.input<typeof guardrailConfigSchema>;

/** Shadow gate: the candidate must not disagree with production too much before it sees real traffic. */
export const shadowGateSchema = z.object({
  minSamples: z.number().int().min(1).default(200),
  maxPsi: z.number().gt(0).default(1),
  maxDisagreement: z.number().gt(0).max(1).default(0.3),
});
export type ShadowGate = z.infer<typeof shadowGateSchema>;
