import type { ModelBundle } from '../bundle/model-bundle.types';
import { compileCalibration } from '../calibration/calibration';
import { compilePreprocessing } from '../preprocessing/standard-scaler';
import { compileDenseForward } from './dense-forward';
import { compileGbdt } from './gbdt-evaluator';

export interface Scorer {
  readonly modelType: ModelBundle['modelType'];
  readonly featureNames: readonly string[];
  readonly nFeatures: number;
  /** Calibrated probability for one raw feature row (length nFeatures, in featureNames order). */
  predict(row: Float32Array, offset?: number): number;
  /** Uncalibrated margin (log-odds). */
  predictMargin(row: Float32Array, offset?: number): number;
  /** Uncalibrated margins for a row-major batch. */
  predictMarginBatch(X: Float32Array, nRows: number, out?: Float64Array): Float64Array;
  /** Row-major batch; writes into `out` when given. */
  predictBatch(X: Float32Array, nRows: number, out?: Float64Array): Float64Array;
}

/** Compiles a bundle into an allocation-free scorer; no tfjs involved. Not re-entrant (shared scratch). */
export function loadScorer(bundle: ModelBundle): Scorer {
  const nf = bundle.featureNames.length;
  const pre = compilePreprocessing(bundle.preprocessing, nf);
  const scratch = new Float32Array(nf);
  const nets = bundle.components.filter((c) => c.kind === 'network').map((c) => ({ w: c.blendWeight, f: compileDenseForward(c.network) }));
  const trees = bundle.components.filter((c) => c.kind === 'gbdt').map((c) => ({ w: c.blendWeight, f: compileGbdt(c.trees) }));
  const calibrate = compileCalibration(bundle.calibration);
  const needsPre = nets.length > 0;

  const margin = (row: Float32Array, offset = 0): number => {
    let s = 0;
    for (let i = 0; i < trees.length; i++) s += trees[i].w * trees[i].f(row, offset);
    if (needsPre) {
      pre(row, scratch, offset);
      for (let i = 0; i < nets.length; i++) s += nets[i].w * nets[i].f(scratch, 0);
    }
    return s;
  };
  return {
    modelType: bundle.modelType,
    featureNames: bundle.featureNames,
    nFeatures: nf,
    predictMargin: margin,
    predict: (row, offset = 0) => calibrate(margin(row, offset)),
    predictMarginBatch(X, nRows, out = new Float64Array(nRows)) {
      for (let r = 0; r < nRows; r++) out[r] = margin(X, r * nf);
      return out;
    },
    predictBatch(X, nRows, out = new Float64Array(nRows)) {
      for (let r = 0; r < nRows; r++) out[r] = calibrate(margin(X, r * nf));
      return out;
    },
  };
}
