import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ModelBundleInvalidError, ModelChecksumMismatchError, ModelFeatureMismatchError } from '../data/ml.errors';
import type { GbdtModel } from '../models/gbdt.types';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type ModelBundle, type ModelComponent } from './model-bundle.types';

type DType = 'float32' | 'float64' | 'int32';
type Typed = Float32Array | Float64Array | Int32Array;

/** Typed arrays travel as base64 of their little-endian bytes: exact, and ~3x smaller than JSON numbers. */
function encode(a: Typed): { dtype: DType; length: number; base64: string } {
  const dtype: DType = a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
  return { dtype, length: a.length, base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
}

function decode<T extends Typed>(e: { dtype: DType; length: number; base64: string }, want: DType, path: string): T {
  if (e.dtype !== want) throw new ModelBundleInvalidError(`${path}: expected ${want}, got ${e.dtype}`);
  const bytes = Buffer.from(e.base64, 'base64');
  const Ctor = want === 'float32' ? Float32Array : want === 'float64' ? Float64Array : Int32Array;
  if (bytes.length !== e.length * Ctor.BYTES_PER_ELEMENT) throw new ModelBundleInvalidError(`${path}: byte length does not match length ${e.length}`);
  // Copy into an aligned buffer (Buffer pools may start at unaligned offsets).
  const out = new Ctor(e.length);
  new Uint8Array(out.buffer).set(bytes);
  return out as T;
}

const typedSchema = z.object({ dtype: z.enum(['float32', 'float64', 'int32']), length: z.number().int().nonnegative(), base64: z.string() });

const preprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('identity') }),
  z.object({ kind: z.literal('standard'), mean: z.array(z.number()), std: z.array(z.number().positive()), clip: z.number().positive().nullable() }),
]);

const calibrationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('platt'), a: z.number(), b: z.number() }),
  z.object({ kind: z.literal('isotonic'), x: z.array(z.number()), y: z.array(z.number().min(0).max(1)) }),
]);

const layerSchema = z.object({
  inSize: z.number().int().positive(),
  outSize: z.number().int().positive(),
  activation: z.enum(['relu', 'linear']),
  kernel: typedSchema,
  bias: typedSchema,
});

const componentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('network'), blendWeight: z.number(), network: z.object({ layers: z.array(layerSchema).min(1) }) }),
  z.object({
    kind: z.literal('gbdt'),
    blendWeight: z.number(),
    trees: z.object({
      nFeatures: z.number().int().positive(),
      baseScore: z.number(),
      treeRoots: typedSchema,
      feature: typedSchema,
      threshold: typedSchema,
      left: typedSchema,
      right: typedSchema,
      value: typedSchema,
    }),
  }),
]);

const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  modelType: z.enum(['logistic', 'mlp', 'gbdt', 'blend']),
  featureSet: z.object({ name: z.string().min(1), version: z.number().int().positive() }),
  featureNames: z.array(z.string().min(1)).min(1),
  preprocessing: preprocessingSchema,
  components: z.array(componentSchema).min(1),
  calibration: calibrationSchema,
  trainedAt: z.string().datetime(),
  seed: z.number().int(),
  metricsSummary: z.record(z.string(), z.number()),
  lineage: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

function encodeComponent(c: ModelComponent) {
  if (c.kind === 'network') {
    return {
      kind: c.kind,
      blendWeight: c.blendWeight,
      network: { layers: c.network.layers.map((l) => ({ inSize: l.inSize, outSize: l.outSize, activation: l.activation, kernel: encode(l.kernel), bias: encode(l.bias) })) },
    };
  }
  const t = c.trees;
  return {
    kind: c.kind,
    blendWeight: c.blendWeight,
    trees: {
      nFeatures: t.nFeatures,
      baseScore: t.baseScore,
      treeRoots: encode(t.treeRoots),
      feature: encode(t.feature),
      threshold: encode(t.threshold),
      left: encode(t.left),
      right: encode(t.right),
      value: encode(t.value),
    },
  };
}

export function bundleSha256(buf: Buffer | Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Deterministic bytes: the same bundle always serialises (and hashes) the same. */
export function serializeBundle(bundle: ModelBundle): Buffer {
  validateStructure(bundle);
  const doc = {
    format: bundle.format,
    formatVersion: bundle.formatVersion,
    modelType: bundle.modelType,
    featureSet: { name: bundle.featureSet.name, version: bundle.featureSet.version },
    featureNames: bundle.featureNames,
    preprocessing: bundle.preprocessing,
    components: bundle.components.map(encodeComponent),
    calibration: bundle.calibration,
    trainedAt: bundle.trainedAt,
    seed: bundle.seed,
    metricsSummary: bundle.metricsSummary,
    lineage: bundle.lineage,
  };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

/** Verifies the checksum (when given), the schema and the internal consistency; throws typed DomainErrors. */
export function parseBundle(buf: Buffer | Uint8Array, expectedSha256?: string): ModelBundle {
  if (expectedSha256 !== undefined) {
    const actual = bundleSha256(buf);
    if (actual !== expectedSha256.toLowerCase()) throw new ModelChecksumMismatchError(expectedSha256, actual);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8'));
  } catch {
    throw new ModelBundleInvalidError('Model bundle is not valid JSON');
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelBundleInvalidError(
      'Model bundle does not match the checkout-risk-model schema',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const d = parsed.data;
  const components: ModelComponent[] = d.components.map((c, ci) => {
    const p = `components.${ci}`;
    if (c.kind === 'network') {
      return {
        kind: 'network',
        blendWeight: c.blendWeight,
        network: {
          layers: c.network.layers.map((l, li) => ({
            inSize: l.inSize,
            outSize: l.outSize,
            activation: l.activation,
            kernel: decode<Float32Array>(l.kernel, 'float32', `${p}.layers.${li}.kernel`),
            bias: decode<Float32Array>(l.bias, 'float32', `${p}.layers.${li}.bias`),
          })),
        },
      };
    }
    const t = c.trees;
    const trees: GbdtModel = {
      nFeatures: t.nFeatures,
      baseScore: t.baseScore,
      treeRoots: decode(t.treeRoots, 'int32', `${p}.treeRoots`),
      feature: decode(t.feature, 'int32', `${p}.feature`),
      threshold: decode(t.threshold, 'float32', `${p}.threshold`),
      left: decode(t.left, 'int32', `${p}.left`),
      right: decode(t.right, 'int32', `${p}.right`),
      value: decode(t.value, 'float64', `${p}.value`),
    };
    return { kind: 'gbdt', blendWeight: c.blendWeight, trees };
  });
  const bundle: ModelBundle = { ...d, format: BUNDLE_FORMAT, components };
  validateStructure(bundle);
  return bundle;
}

/** Shape checks zod cannot express: layer chaining, tree indices in range, sizes matching featureNames. */
function validateStructure(b: ModelBundle): void {
  const nf = b.featureNames.length;
  const fail = (m: string) => {
    throw new ModelBundleInvalidError(m);
  };
  if (b.preprocessing.kind === 'standard' && (b.preprocessing.mean.length !== nf || b.preprocessing.std.length !== nf)) fail('preprocessing size != featureNames');
  if (b.calibration.kind === 'isotonic') {
    const { x, y } = b.calibration;
    if (x.length !== y.length || x.length === 0) fail('isotonic calibration x/y mismatch');
    for (let i = 1; i < x.length; i++) if (x[i] < x[i - 1] || y[i] < y[i - 1]) fail('isotonic calibration is not monotone');
  }
  for (const c of b.components) {
    if (c.kind === 'network') {
      const layers = c.network.layers;
      if (layers[0].inSize !== nf) fail('network input size != featureNames');
      layers.forEach((l, i) => {
        if (l.kernel.length !== l.inSize * l.outSize || l.bias.length !== l.outSize) fail(`layer ${i} weight sizes`);
        if (i > 0 && layers[i - 1].outSize !== l.inSize) fail(`layer ${i} input size`);
      });
      if (layers[layers.length - 1].outSize !== 1) fail('network must output one logit');
    } else {
      const t = c.trees;
      const n = t.feature.length;
      if (t.nFeatures !== nf) fail('trees nFeatures != featureNames');
      if (t.threshold.length !== n || t.left.length !== n || t.right.length !== n || t.value.length !== n) fail('tree arrays differ in length');
      for (let i = 0; i < t.treeRoots.length; i++) if (t.treeRoots[i] < 0 || t.treeRoots[i] >= n) fail('tree root out of range');
      for (let i = 0; i < n; i++) {
        if (t.feature[i] >= nf) fail('tree feature out of range');
        // Children must point forward, which also rules out cycles.
        if (t.feature[i] >= 0 && !(t.left[i] > i && t.left[i] < n && t.right[i] > i && t.right[i] < n)) fail('tree child index out of range');
      }
    }
  }
}

/** Guards a scorer against loading a model built for another feature set version or feature order. */
export function assertBundleFeatures(bundle: ModelBundle, featureSet: { name: string; version: number }, featureNames?: readonly string[]): void {
  if (bundle.featureSet.name !== featureSet.name || bundle.featureSet.version !== featureSet.version) {
    throw new ModelFeatureMismatchError(
      `Model expects feature set ${bundle.featureSet.name}@${bundle.featureSet.version}, serving ${featureSet.name}@${featureSet.version}`,
    );
  }
  if (featureNames && (featureNames.length !== bundle.featureNames.length || featureNames.some((n, i) => n !== bundle.featureNames[i]))) {
    throw new ModelFeatureMismatchError('Model feature order differs from the served feature vector');
  }
}
