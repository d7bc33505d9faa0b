import { DomainError } from '@risk/util-errors';
import { makeSyntheticFraudData } from '../data/synthetic-data';
import { ModelBundleInvalidError, ModelChecksumMismatchError, ModelFeatureMismatchError } from '../data/ml.errors';
import { trainModel } from '../models/train-model';
import { loadScorer } from '../serving/scorer';
import { assertBundleFeatures, bundleSha256, parseBundle, serializeBundle } from './model-bundle';
import type { ModelBundle } from './model-bundle.types';

const names = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'];

describe('model bundle', () => {
  let bundle: ModelBundle;
  let buf: Buffer;

  beforeAll(async () => {
    const data = makeSyntheticFraudData(4000, 6, 11);
    const res = await trainModel({
      modelType: 'gbdt',
      train: data,
      featureNames: names,
      featureSet: { name: 'synthetic', version: 1 },
      seed: 3,
      gbdt: { nTrees: 25, maxDepth: 4 },
      calibrationMethod: 'isotonic',
      trainedAt: new Date('2026-01-01T00:00:00Z'),
      lineage: { commit: 'abc123', window: '2026-01-01/2026-01-08' },
    });
    bundle = res.bundle;
    buf = serializeBundle(bundle);
  });

  it('round-trips to a scorer with bit-identical scores', () => {
    const parsed = parseBundle(buf, bundleSha256(buf));
    expect(parsed.featureNames).toEqual(names);
    expect(parsed.lineage).toEqual({ commit: 'abc123', window: '2026-01-01/2026-01-08' });
    const test = makeSyntheticFraudData(500, 6, 12);
    const a = loadScorer(bundle).predictBatch(test.X, test.nRows);
    const b = loadScorer(parsed).predictBatch(test.X, test.nRows);
    expect(Array.from(b)).toEqual(Array.from(a));
    // Serialisation is deterministic, so the checksum is stable.
    expect(bundleSha256(serializeBundle(parsed))).toBe(bundleSha256(buf));
  });

  it('rejects a checksum mismatch with MODEL_CHECKSUM_MISMATCH', () => {
    const tampered = Buffer.from(buf);
    tampered[tampered.length - 3] ^= 1;
    let err: unknown;
    try {
      parseBundle(tampered, bundleSha256(buf));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelChecksumMismatchError);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('MODEL_CHECKSUM_MISMATCH');
  });

  it('rejects malformed and inconsistent documents with MODEL_BUNDLE_INVALID', () => {
    const doc = JSON.parse(buf.toString('utf8'));
    const cases: unknown[] = [
      'not json at all',
      { ...doc, format: 'something-else' },
      { ...doc, featureNames: ['only-one'] },
      { ...doc, calibration: { kind: 'isotonic', x: [1, 0], y: [0.1, 0.2] } },
      { ...doc, components: [{ ...doc.components[0], trees: { ...doc.components[0].trees, value: { dtype: 'float64', length: 3, base64: 'AAAA' } } }] },
    ];
    for (const c of cases) {
      const b = Buffer.from(typeof c === 'string' ? c : JSON.stringify(c));
      expect(() => parseBundle(b)).toThrow(ModelBundleInvalidError);
      try {
        parseBundle(b);
      } catch (e) {
        expect((e as DomainError).code).toBe('MODEL_BUNDLE_INVALID');
      }
    }
  });

  it('rejects trees whose child pointers would loop', () => {
    const doc = JSON.parse(buf.toString('utf8'));
    const t = doc.components[0].trees;
    // Copy out of Buffer's shared pool before viewing as int32.
    const ints = (b64: string) => new Int32Array(Uint8Array.from(Buffer.from(b64, 'base64')).buffer);
    const left = ints(t.left.base64);
    const internal = Array.from(ints(t.feature.base64)).findIndex((f) => f >= 0);
    expect(internal).toBeGreaterThanOrEqual(0);
    expect(() => parseBundle(Buffer.from(JSON.stringify(doc)))).not.toThrow();
    left[internal] = internal;
    t.left.base64 = Buffer.from(left.buffer).toString('base64');
    expect(() => parseBundle(Buffer.from(JSON.stringify(doc)))).toThrow(ModelBundleInvalidError);
  });

  it('checks the served feature set and order', () => {
    expect(() => assertBundleFeatures(bundle, { name: 'synthetic', version: 1 }, names)).not.toThrow();
    expect(() => assertBundleFeatures(bundle, { name: 'synthetic', version: 2 })).toThrow(ModelFeatureMismatchError);
    expect(() => assertBundleFeatures(bundle, { name: 'synthetic', version: 1 }, [...names].reverse())).toThrow(ModelFeatureMismatchError);
  });
});
