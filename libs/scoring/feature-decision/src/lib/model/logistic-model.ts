import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ModelScorer } from '../decision.ports';

/** A small logistic model on request-time features: the policy's fallback model (versioned config). */
export const logisticModelSchema = z.strictObject({
  format: z.literal('logistic-v1'),
  version: z.string().min(1).max(128),
  bias: z.number().finite(),
  weights: z.record(z.string(), z.number().finite()),
});
export type LogisticModelSpec = z.infer<typeof logisticModelSchema>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function logisticScorer(spec: LogisticModelSpec): ModelScorer {
  const names = Object.keys(spec.weights);
  const w = Float64Array.from(names.map((n) => spec.weights[n] as number));
  return {
    version: spec.version,
    featureNames: names,
    predict(row: Float32Array): number {
      let z = spec.bias;
      for (let i = 0; i < w.length; i++) z += (w[i] as number) * (row[i] as number);
      return 1 / (1 + Math.exp(-z));
    },
  };
}

/**
 * @deprecated The scorer loads @risk/ml bundles only; this encoder remains for callers outside the scorer (peak,
 * demo, controller harness) until they register @risk/ml bundles.
 */
export function encodeLogisticBundle(spec: LogisticModelSpec): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(JSON.stringify(spec));
  return { bytes, sha256: sha256Hex(bytes) };
}
