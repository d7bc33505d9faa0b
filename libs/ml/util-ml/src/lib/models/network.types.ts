export type DenseActivation = 'relu' | 'linear';

/** One dense layer; kernel is row-major [inSize][outSize], the layout tfjs uses. */
export interface DenseLayerWeights {
  inSize: number;
  outSize: number;
  activation: DenseActivation;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The network outputs a logit; the probability is sigmoid(logit) before calibration. */
export interface NetworkWeights {
  layers: DenseLayerWeights[];
}
