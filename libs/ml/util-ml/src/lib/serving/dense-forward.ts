import type { NetworkWeights } from '../models/network.types';

/**
 * Forward pass compiled from trained weights: returns the logit for one preprocessed row.
 * Activations live in preallocated float64 buffers, so scoring a row allocates nothing.
 */
export function compileDenseForward(net: NetworkWeights): (x: Float32Array, offset?: number) => number {
  const layers = net.layers.map((l) => ({
    inSize: l.inSize,
    outSize: l.outSize,
    relu: l.activation === 'relu',
    kernel: l.kernel,
    bias: l.bias,
    out: new Float64Array(l.outSize),
  }));
  const last = layers[layers.length - 1];
  if (!last || last.outSize !== 1) throw new Error('network must end in a single logit');
  const first = layers[0];
  return (x, offset = 0) => {
    // First layer reads the input row directly.
    {
      const { inSize, outSize, kernel, bias, out, relu } = first;
      for (let j = 0; j < outSize; j++) out[j] = bias[j];
      for (let i = 0; i < inSize; i++) {
        const xi = x[offset + i];
        if (xi === 0) continue;
        const k = i * outSize;
        for (let j = 0; j < outSize; j++) out[j] += xi * kernel[k + j];
      }
      if (relu) for (let j = 0; j < outSize; j++) if (out[j] < 0) out[j] = 0;
    }
    for (let l = 1; l < layers.length; l++) {
      const prev = layers[l - 1].out;
      const { inSize, outSize, kernel, bias, out, relu } = layers[l];
      for (let j = 0; j < outSize; j++) out[j] = bias[j];
      for (let i = 0; i < inSize; i++) {
        const xi = prev[i];
        if (xi === 0) continue;
        const k = i * outSize;
        for (let j = 0; j < outSize; j++) out[j] += xi * kernel[k + j];
      }
      if (relu) for (let j = 0; j < outSize; j++) if (out[j] < 0) out[j] = 0;
    }
    return last.out[0];
  };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
