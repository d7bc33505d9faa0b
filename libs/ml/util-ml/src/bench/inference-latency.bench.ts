/**
 * Per-row scoring latency of the compiled bundle scorer (LR, MLP 15-64-32-1, GBDT 300 x depth 6) against tfjs
 * `predict` on the same MLP, measured in the same run. Run:
 *   node -r ./tools/node/register.js libs/ml/util-ml/src/bench/inference-latency.bench.ts
 */
import type * as TfModule from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { getTf, initBackend } from '../lib/backend/tf-backend';
import { makeSyntheticFraudData } from '../lib/data/synthetic-data';
import { trainGbdt } from '../lib/models/gbdt.trainer';
import { trainModel } from '../lib/models/train-model';
import { loadScorer } from '../lib/serving/scorer';

const NF = 15;

function percentiles(ns: Float64Array): { p50: number; p99: number } {
  const s = Float64Array.from(ns).sort();
  return { p50: s[Math.floor(s.length * 0.5)] / 1000, p99: s[Math.floor(s.length * 0.99)] / 1000 };
}

function timePerRow(fn: (i: number) => number, n: number): { p50: number; p99: number } {
  const t = new Float64Array(n);
  let sink = 0;
  for (let i = 0; i < Math.min(n, 5000); i++) sink += fn(i); // warm-up (JIT)
  for (let i = 0; i < n; i++) {
    const a = process.hrtime.bigint();
    sink += fn(i);
    t[i] = Number(process.hrtime.bigint() - a);
  }
  if (Number.isNaN(sink)) console.log('nan');
  return percentiles(t);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const tf = getTf();
  const data = makeSyntheticFraudData(30_000, NF, 1);
  const names = Array.from({ length: NF }, (_, i) => `f${i}`);
  const common = { train: data, featureNames: names, featureSet: { name: 'bench', version: 1 } };
  const lr = await trainModel({ ...common, modelType: 'logistic', network: { epochs: 2 } });
  const mlp = await trainModel({ ...common, modelType: 'mlp', keepTfModel: true, network: { epochs: 2, hiddenUnits: [64, 32] } });
  // Exactly 300 trees (no validation, so no early stopping) to match the reference anchor's size.
  const gbdtCal = await trainModel({ ...common, modelType: 'gbdt', gbdt: { nTrees: 10 } });
  const trees = await trainGbdt({ train: data, config: { nTrees: 300, maxDepth: 6 } });
  const gbdt = { bundle: { ...gbdtCal.bundle, components: [{ kind: 'gbdt' as const, blendWeight: 1, trees: trees.model }] } };
  const rows = makeSyntheticFraudData(10_000, NF, 2);
  const N = 50_000;
  console.log(`backend=${backend} loadavg=${loadavg()[0].toFixed(1)} samples=${N}`);
  console.log('model                          p50 µs   p99 µs   batch-64 rows/s');
  let mlpP50 = Number.NaN;
  for (const [name, r] of [
    ['logistic (compiled)', lr],
    ['mlp 15-64-32-1 (compiled)', mlp],
    [`gbdt ${gbdt.bundle.components[0].kind === 'gbdt' ? gbdt.bundle.components[0].trees.treeRoots.length : 0}x d6 (flat arrays)`, gbdt],
  ] as const) {
    const s = loadScorer(r.bundle);
    const p = timePerRow((i) => s.predict(rows.X, (i % rows.nRows) * NF), N);
    if (r === mlp) mlpP50 = p.p50;
    const out = new Float64Array(64);
    const batches = 3000;
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) s.predictBatch(rows.X.subarray(((b * 64) % (rows.nRows - 64)) * NF), 64, out);
    const rps = (batches * 64) / ((performance.now() - t0) / 1000);
    console.log(`${name.padEnd(30)} ${p.p50.toFixed(2).padStart(6)}   ${p.p99.toFixed(2).padStart(6)}   ${Math.round(rps).toLocaleString('en-US').padStart(12)}`);
  }
  const model = mlp.tfModel as TfModule.LayersModel;
  const one = new Float32Array(NF);
  const p = timePerRow((i) => {
    one.set(rows.X.subarray((i % rows.nRows) * NF, (i % rows.nRows) * NF + NF));
    return tf.tidy(() => (model.predict(tf.tensor2d(one, [1, NF])) as TfModule.Tensor).dataSync()[0]);
  }, 5000);
  console.log(`${'mlp via tfjs predict (1 row)'.padEnd(30)} ${p.p50.toFixed(2).padStart(6)}   ${p.p99.toFixed(2).padStart(6)}`);
  console.log(`compiled MLP is ${(p.p50 / mlpP50).toFixed(1)}x faster than tfjs predict at p50 (same weights, same run)`);
  model.dispose();
}

void main();
