import type * as TfModule from '@tensorflow/tfjs';
import { getTf, initBackend } from '../backend/tf-backend';
import { assertDataset, balancedClassWeights, throwIfAborted, type Dataset, type ProgressCallback } from '../data/dataset.types';
import { Prng } from '../data/prng';
import type { DenseLayerWeights, NetworkWeights } from './network.types';

export interface NetworkTrainConfig {
  /** [] gives logistic regression (a single sigmoid unit). */
  hiddenUnits: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on kernels, added to the mean loss. */
  l2: number;
  seed: number;
  /** 'balanced' up-weights the minority class so both classes carry equal total weight. */
  classWeight: 'balanced' | 'none' | { neg: number; pos: number };
  /** Early stopping on this slice (weighted log loss) when given. */
  patience: number;
  /** Stop when the val loss improves by less than this (relative). */
  minDelta: number;
}

export const LOGISTIC_DEFAULTS: NetworkTrainConfig = {
  hiddenUnits: [],
  epochs: 30,
  // tfjs pays a fixed JS cost per step (~180 kernels for an MLP), so large batches buy throughput.
  batchSize: 1024,
  learningRate: 0.02,
  l2: 1e-4,
  seed: 42,
  classWeight: 'balanced',
  patience: 3,
  minDelta: 1e-4,
};

export const MLP_DEFAULTS: NetworkTrainConfig = {
  hiddenUnits: [64, 32],
  epochs: 40,
  batchSize: 512,
  learningRate: 0.004,
  l2: 1e-5,
  seed: 42,
  classWeight: 'balanced',
  patience: 4,
  minDelta: 1e-4,
};

export interface NetworkTrainResult {
  weights: NetworkWeights;
  /** tfjs model emitting sigmoid probabilities; the caller owns it (dispose when done). */
  model: TfModule.LayersModel;
  epochsRun: number;
  bestEpoch: number;
  bestValidationLoss: number | null;
  rowsPerSecond: number;
}

export interface NetworkTrainInput {
  train: Dataset;
  validation?: Dataset;
  config?: Partial<NetworkTrainConfig>;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

function buildModels(tf: typeof TfModule, nFeatures: number, cfg: NetworkTrainConfig) {
  const rng = new Prng(cfg.seed);
  const input = tf.input({ shape: [nFeatures] });
  let h: TfModule.SymbolicTensor = input;
  for (const units of cfg.hiddenUnits) {
    h = tf.layers
      .dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: rng.seed() }), biasInitializer: 'zeros' })
      .apply(h) as TfModule.SymbolicTensor;
  }
  const logit = tf.layers
    .dense({ units: 1, activation: 'linear', kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }), biasInitializer: 'zeros' })
    .apply(h) as TfModule.SymbolicTensor;
  const prob = tf.layers.activation({ activation: 'sigmoid' }).apply(logit) as TfModule.SymbolicTensor;
  // Both models share the layers: train on logits (stable loss), serve/compare on probabilities.
  return { logitModel: tf.model({ inputs: input, outputs: logit }), probModel: tf.model({ inputs: input, outputs: prob }) };
}

function denseLayers(model: TfModule.LayersModel): TfModule.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Dense');
}

export function extractNetworkWeights(model: TfModule.LayersModel): NetworkWeights {
  const dense = denseLayers(model);
  return {
    layers: dense.map((l, i): DenseLayerWeights => {
      const [k, b] = l.getWeights();
      const [inSize, outSize] = k.shape as [number, number];
      return {
        inSize,
        outSize,
        activation: i === dense.length - 1 ? 'linear' : 'relu',
        kernel: Float32Array.from(k.dataSync() as Float32Array),
        bias: Float32Array.from(b.dataSync() as Float32Array),
      };
    }),
  };
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** Seeded, reproducible mini-batch Adam on weighted binary cross-entropy, with early stopping on `validation`. */
export async function trainNetwork(input: NetworkTrainInput): Promise<NetworkTrainResult> {
  const cfg: NetworkTrainConfig = { ...LOGISTIC_DEFAULTS, ...input.config };
  const { train, validation, onProgress, signal } = input;
  assertDataset(train, 'train');
  if (validation) assertDataset(validation, 'validation');
  await initBackend();
  const tf = getTf();
  const f = train.nFeatures;
  const cw = cfg.classWeight === 'balanced' ? balancedClassWeights(train.y, train.weights) : cfg.classWeight === 'none' ? { neg: 1, pos: 1 } : cfg.classWeight;
  const rowWeight = (d: Dataset, r: number) => (d.weights ? d.weights[r] : 1) * (d.y[r] === 1 ? cw.pos : cw.neg);

  const { logitModel, probModel } = buildModels(tf, f, cfg);
  const kernels = denseLayers(logitModel).map((l) => l.trainableWeights[0].read());
  const vars = logitModel.trainableWeights.map((w) => w.read() as TfModule.Variable);
  const optimizer = tf.train.adam(cfg.learningRate);
  const rng = new Prng(cfg.seed ^ 0x5bd1e995);
  const order = new Uint32Array(train.nRows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const bs = Math.min(cfg.batchSize, train.nRows);
  const bx = new Float32Array(bs * f);
  const by = new Float32Array(bs);
  const bw = new Float32Array(bs);

  // Validation tensors are built once.
  let valLossFn: (() => number) | undefined;
  if (validation) {
    const vx = tf.tensor2d(validation.X, [validation.nRows, f]);
    const vy = tf.tensor2d(Float32Array.from(validation.y), [validation.nRows, 1]);
    const vw = tf.tensor2d(Float32Array.from({ length: validation.nRows }, (_, r) => rowWeight(validation, r)), [validation.nRows, 1]);
    const wSum = vw.sum().dataSync()[0];
    valLossFn = () =>
      tf.tidy(() => {
        const z = logitModel.predict(vx) as TfModule.Tensor;
        return bceFromLogits(tf, z, vy).mul(vw).sum().div(wSum).dataSync()[0];
      });
    const disposeVal = () => tf.dispose([vx, vy, vw]);
    try {
      return await loop();
    } finally {
      disposeVal();
    }
  }
  return loop();

  async function loop(): Promise<NetworkTrainResult> {
    const t0 = performance.now();
    let rowsProcessed = 0;
    let best = Number.POSITIVE_INFINITY;
    let bestEpoch = -1;
    let bestWeights: TfModule.Tensor[] | undefined;
    let sinceBest = 0;
    let epoch = 0;
    try {
      for (epoch = 0; epoch < cfg.epochs; epoch++) {
        rng.shuffle(order);
        let lossSum = 0;
        let batches = 0;
        let lossCount = 0;
        for (let start = 0; start < train.nRows; start += bs) {
          const n = Math.min(bs, train.nRows - start);
          for (let i = 0; i < n; i++) {
            const r = order[start + i];
            bx.set(train.X.subarray(r * f, r * f + f), i * f);
            by[i] = train.y[r];
            bw[i] = rowWeight(train, r);
          }
          // Reading the loss forces a device sync; sample it rather than paying that on every step.
          const wantCost = batches % 16 === 0;
          let cost: TfModule.Scalar | null = null;
          tf.tidy(() => {
            const xb = tf.tensor2d(bx.subarray(0, n * f), [n, f]);
            const yb = tf.tensor2d(by.subarray(0, n), [n, 1]);
            const wb = tf.tensor2d(bw.subarray(0, n), [n, 1]);
            const wTotal = wb.sum();
            cost = optimizer.minimize(
              () => {
                const z = logitModel.apply(xb, { training: true }) as TfModule.Tensor;
                let loss = bceFromLogits(tf, z, yb).mul(wb).sum().div(wTotal) as TfModule.Scalar;
                if (cfg.l2 > 0) for (const k of kernels) loss = loss.add(k.square().sum().mul(cfg.l2));
                return loss;
              },
              wantCost,
              vars,
            );
            if (cost) tf.keep(cost);
          });
          const c = cost as TfModule.Scalar | null;
          if (c) {
            lossSum += c.dataSync()[0];
            lossCount++;
            c.dispose();
          }
          batches++;
          rowsProcessed += n;
          if (batches % 25 === 0) {
            await yieldToLoop();
            throwIfAborted(signal);
          }
        }
        await yieldToLoop();
        throwIfAborted(signal);
        const valLoss = valLossFn ? valLossFn() : undefined;
        const elapsed = (performance.now() - t0) / 1000;
        onProgress?.({
          phase: cfg.hiddenUnits.length ? 'mlp' : 'logistic',
          step: epoch + 1,
          totalSteps: cfg.epochs,
          rowsProcessed,
          rowsPerSecond: rowsProcessed / Math.max(elapsed, 1e-9),
          trainLoss: lossSum / Math.max(lossCount, 1),
          validationLoss: valLoss,
        });
        if (valLoss !== undefined) {
          if (valLoss < best * (1 - cfg.minDelta)) {
            best = valLoss;
            bestEpoch = epoch;
            sinceBest = 0;
            tf.dispose(bestWeights ?? []);
            bestWeights = logitModel.getWeights().map((w) => w.clone());
          } else if (++sinceBest >= cfg.patience) {
            epoch++;
            break;
          }
        }
      }
      if (bestWeights) logitModel.setWeights(bestWeights);
    } catch (e) {
      probModel.dispose();
      throw e;
    } finally {
      tf.dispose(bestWeights ?? []);
      optimizer.dispose();
    }
    const elapsed = (performance.now() - t0) / 1000;
    return {
      weights: extractNetworkWeights(probModel),
      model: probModel,
      epochsRun: epoch,
      bestEpoch: bestEpoch >= 0 ? bestEpoch + 1 : epoch,
      bestValidationLoss: Number.isFinite(best) ? best : null,
      rowsPerSecond: rowsProcessed / Math.max(elapsed, 1e-9),
    };
  }
}

/** Numerically stable BCE on logits: max(z,0) - z*y + log(1 + exp(-|z|)). */
function bceFromLogits(tf: typeof TfModule, z: TfModule.Tensor, y: TfModule.Tensor): TfModule.Tensor {
  return tf.relu(z).sub(z.mul(y)).add(tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
}
