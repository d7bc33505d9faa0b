import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelAssignment, ModelRef, ModelSource } from '../decision.ports';
import { linearMlBundle } from './ml-bundle.fixture';
import { mlModelLoader } from './ml-model.loader';
import { ModelManager } from './model-manager';

const SET = { name: 'checkout', version: 1, featureNames: ['rt_is_guest'] };
const loadLogisticBundle = mlModelLoader(SET);

/** An in-process registry double for the port: unit scope only; the e2e tests use a real HTTP registry. */
class MemorySource implements ModelSource {
  down = false;
  blobs = new Map<string, Uint8Array>();
  current: ModelAssignment = { production: null, canary: null, shadows: [] };
  publish(version: string, bias: number, corrupt = false): ModelRef {
    const { bytes, sha256 } = linearMlBundle({ featureSet: SET, featureNames: SET.featureNames, bias, weights: { rt_is_guest: 1 }, tag: version });
    const ref = { name: 'checkout', version, sha256 };
    this.blobs.set(version, corrupt ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes);
    return ref;
  }
  async assignment(): Promise<ModelAssignment> {
    if (this.down) throw new Error('ECONNREFUSED');
    return this.current;
  }
  async download(ref: ModelRef): Promise<Uint8Array> {
    if (this.down) throw new Error('ECONNREFUSED');
    return this.blobs.get(ref.version) as Uint8Array;
  }
}

describe('ModelManager', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lkg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports model_missing before anything is registered, then loads and hot-swaps', async () => {
    const src = new MemorySource();
    const m = new ModelManager({ region: 'eu', source: src, loader: loadLogisticBundle, lkgDir: dir });
    await m.start();
    expect(m.health).toMatchObject({ registryReachable: true, problem: 'model_missing' });
    expect(m.select('chk_1').model).toBeNull();
    src.current = { production: src.publish('v1', -3), canary: null, shadows: [] };
    await m.refresh();
    const held = m.select('chk_1').model;
    expect(held?.scorer.version).toBe('v1');
    src.current = { production: src.publish('v2', -2), canary: null, shadows: [src.publish('v3', -1)] };
    await m.refresh();
    expect(m.select('chk_1').model?.scorer.version).toBe('v2');
    expect(m.current.shadows.map((s) => s.scorer.version)).toEqual(['v3']);
    // A request that grabbed v1 before the swap can still finish with it.
    expect(held?.scorer.predict(new Float32Array([1]))).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
  });

  it('refuses a corrupt artifact: model_error with nothing loaded, keeps the working model otherwise', async () => {
    const src = new MemorySource();
    src.current = { production: src.publish('bad', 0, true), canary: null, shadows: [] };
    const m = new ModelManager({ region: 'eu', source: src, loader: loadLogisticBundle });
    await m.start();
    expect(m.health.problem).toBe('model_error');
    src.current = { production: src.publish('good', -3), canary: null, shadows: [] };
    await m.refresh();
    src.current = { production: src.publish('bad2', 0, true), canary: null, shadows: [] };
    await m.refresh();
    expect(m.select('x').model?.scorer.version).toBe('good');
    expect(m.health.problem).toBeNull();
  });

  it('refuses a bundle built for another feature set or column order (assertBundleFeatures)', async () => {
    const src = new MemorySource();
    const other = linearMlBundle({ featureSet: { name: 'checkout', version: 2 }, featureNames: SET.featureNames, bias: 0, weights: {} });
    src.blobs.set('v2set', other.bytes);
    src.current = { production: { name: 'checkout', version: 'v2set', sha256: other.sha256 }, canary: null, shadows: [] };
    const m = new ModelManager({ region: 'eu', source: src, loader: loadLogisticBundle });
    await m.start();
    expect(m.health.problem).toBe('model_error');
    expect(m.select('x').model).toBeNull();
  });

  it('cold-starts from the last-known-good cache while the registry is down', async () => {
    const src = new MemorySource();
    src.current = { production: src.publish('v7', -3), canary: { ref: src.publish('v8', -2), percent: 50 }, shadows: [] };
    const first = new ModelManager({ region: 'eu', source: src, loader: loadLogisticBundle, lkgDir: dir });
    await first.start();
    src.down = true;
    const second = new ModelManager({ region: 'eu', source: src, loader: loadLogisticBundle, lkgDir: dir });
    await second.start();
    expect(second.health.registryReachable).toBe(false);
    expect(second.current.origin).toBe('lkg');
    expect(second.current.production?.scorer.version).toBe('v7');
    const arms = new Set(Array.from({ length: 200 }, (_, i) => second.select(`chk_${i}`).arm));
    expect(arms).toEqual(new Set(['production', 'canary']));
  });
});
