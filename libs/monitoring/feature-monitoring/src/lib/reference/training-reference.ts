import { ValidationError } from '@risk/util-errors';
import type { BinnedDistribution } from '../stats/distribution.stats';
import { buildDistribution } from '../stats/distribution.stats';

export const TRAINING_REFERENCE_KIND = 'training_reference';

/** What a model version was trained on, as stored with the version: per-feature bins, score bins, expected action mix. */
export interface TrainingReference {
  modelVersion: string;
  featureSetVersion: string;
  rows: number;
  features: Record<string, BinnedDistribution & { defaultValue: number; defaultRate: number }>;
  score?: BinnedDistribution;
  /** Share of each action the policy took on the reference period (e.g. from shadow or backtest). */
  expectedActionMix?: Record<string, number>;
  /** The same per region (regions differ legitimately; drift is judged against the region's own reference). */
  byRegion?: Record<string, Omit<TrainingReference, 'modelVersion' | 'featureSetVersion' | 'byRegion'>>;
}

export interface ReferenceInput {
  modelVersion: string;
  featureSetVersion: string;
  featureNames: readonly string[];
  defaults?: ArrayLike<number>;
  /** rows x features, row-major */
  values: ArrayLike<number>;
  missing?: ArrayLike<number>;
  scores?: ArrayLike<number>;
  actions?: readonly string[];
  /** region of each row: adds `byRegion` */
  regions?: readonly string[];
  bins?: number;
}

export function buildTrainingReference(input: ReferenceInput): TrainingReference {
  const width = input.featureNames.length;
  if (width === 0 || input.values.length % width !== 0) throw new ValidationError(`values length ${input.values.length} is not a multiple of ${width} features`, [], 'REFERENCE_SHAPE');
  const rows = input.values.length / width;
  const bins = input.bins ?? 10;
  const features: TrainingReference['features'] = {};
  const col = new Float64Array(rows);
  const miss = new Uint8Array(rows);
  for (let f = 0; f < width; f++) {
    const def = input.defaults ? input.defaults[f] : 0;
    let defaults = 0;
    for (let r = 0; r < rows; r++) {
      col[r] = input.values[r * width + f];
      miss[r] = input.missing ? input.missing[r * width + f] : 0;
      if (col[r] === def) defaults++;
    }
    features[input.featureNames[f]] = { ...buildDistribution(col, miss, bins), defaultValue: def, defaultRate: rows ? defaults / rows : 0 };
  }
  const ref: TrainingReference = { modelVersion: input.modelVersion, featureSetVersion: input.featureSetVersion, rows, features };
  if (input.scores) ref.score = buildDistribution(input.scores, null, 20);
  if (input.actions) {
    const mix: Record<string, number> = {};
    for (const a of input.actions) mix[a] = (mix[a] ?? 0) + 1;
    for (const k of Object.keys(mix)) mix[k] /= input.actions.length;
    ref.expectedActionMix = mix;
  }
  if (input.regions) {
    const rowsOf = new Map<string, number[]>();
    input.regions.forEach((r, i) => {
      let a = rowsOf.get(r);
      if (!a) rowsOf.set(r, (a = []));
      a.push(i);
    });
    ref.byRegion = {};
    for (const [region, idx] of rowsOf) {
      const sub = buildTrainingReference({
        ...input,
        regions: undefined,
        values: pick(input.values, idx, width),
        missing: input.missing ? pick(input.missing, idx, width) : undefined,
        scores: input.scores ? idx.map((i) => (input.scores as ArrayLike<number>)[i]) : undefined,
        actions: input.actions ? idx.map((i) => (input.actions as readonly string[])[i]) : undefined,
      });
      ref.byRegion[region] = { rows: sub.rows, features: sub.features, score: sub.score, expectedActionMix: sub.expectedActionMix };
    }
  }
  return ref;
}

function pick(src: ArrayLike<number>, rows: readonly number[], width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let f = 0; f < width; f++) out[i * width + f] = src[r * width + f];
  });
  return out;
}

/** Port: where references live (the registry, as evidence of the model version). */
export interface ReferenceStore {
  save(reference: TrainingReference): Promise<void>;
  /** null when the version has no reference (drift for it is then not computed). */
  load(modelVersion: string): Promise<TrainingReference | null>;
}

export class InMemoryReferenceStore implements ReferenceStore {
  private readonly refs = new Map<string, TrainingReference>();
  async save(reference: TrainingReference): Promise<void> {
    this.refs.set(reference.modelVersion, reference);
  }
  async load(modelVersion: string): Promise<TrainingReference | null> {
    return this.refs.get(modelVersion) ?? null;
  }
}
