import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '@risk/util-errors';
import type { ModelRef, ModelScorer } from '../decision.ports';

export class ModelIntegrityError extends DomainError {
  constructor(message: string) {
    super('MODEL_INTEGRITY', message, 'internal');
  }
}

/** A small self-describing logistic model: used as the fallback model and as a portable bundle format. */
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

/** Verifies the checksum before parsing anything: a corrupt or tampered artifact never gets loaded. */
export function loadLogisticBundle(bytes: Uint8Array, ref: ModelRef): ModelScorer {
  const actual = sha256Hex(bytes);
  if (actual !== ref.sha256) throw new ModelIntegrityError(`checksum mismatch for ${ref.name}@${ref.version}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ModelIntegrityError(`bundle ${ref.name}@${ref.version} is not valid JSON`);
  }
  const spec = logisticModelSchema.safeParse(parsed);
  if (!spec.success) throw new ModelIntegrityError(`bundle ${ref.name}@${ref.version} has an invalid format`);
  return logisticScorer(spec.data);
}

export function encodeLogisticBundle(spec: LogisticModelSpec): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(JSON.stringify(spec));
  return { bytes, sha256: sha256Hex(bytes) };
}
