import { checkoutFeatureSet } from '@risk/feature-sets';
import { ValidationError } from '@risk/util-errors';
import { MARKETPLACE_DEFAULTS, marketplaceEvents, simulateHandbook } from '@risk/simulators';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Pool } from 'pg';
import { z } from 'zod';
import { HandbookCsvDataSource, HandbookRowsDataSource } from '../data/handbook.data-source';
import { MarketplaceEventsDataSource, readRiskEventsJsonl } from '../data/marketplace.data-source';
import { ServedFeatureLogDataSource } from '../data/served-feature-log.data-source';
import { DAY_MS } from '../labels/label-maturity';
import { simulatedHandbookRows } from '../data/simulated-handbook';
import type { TrainingDataSource } from '../data/training-data.types';
import type { TrainingJobCommand } from './training-job.types';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'ISO date (YYYY-MM-DD or full UTC timestamp)');
const windowSchema = z.strictObject({ from: isoDay, to: isoDay });

const dataSourceUnion = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('handbook-csv'), path: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('handbook-simulated'),
    customers: z.number().int().min(10).max(20_000).default(1000),
    terminals: z.number().int().min(10).max(40_000).default(2000),
    days: z.number().int().min(10).max(400).default(60),
    startDate: isoDay.default('2018-04-01'),
    seed: z.number().int().min(0).default(0),
  }),
  /** The vectors the scorer served in `region`, joined with the labels written onto the log. */
  z.strictObject({
    kind: z.literal('served-log'),
    region: z.string().regex(/^[a-z]{2,8}$/),
    /** Rows served in [from, to); when the request has no train/evaluation windows, the last 20% of days evaluate. */
    window: windowSchema.optional(),
    maturityCutoff: isoDay.optional(),
    featureSetVersion: z.number().int().min(1).optional(),
  }),
  /** Contract events (JSONL, one per line) under the data directory. */
  z.strictObject({ kind: z.literal('marketplace-jsonl'), path: z.string().min(1) }),
  /** The marketplace simulator in memory (small configs train in seconds). */
  z.strictObject({
    kind: z.literal('marketplace-sim'),
    seed: z.number().int().min(0).default(1),
    shoppers: z.number().int().min(50).max(200_000).default(3000),
    days: z.number().int().min(4).max(120).default(21),
    /** Defaults to 0.7 x shoppers (the simulator's skewed merchant population, scaled down). */
    merchants: z.number().int().min(10).max(500_000).optional(),
    startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default(MARKETPLACE_DEFAULTS.startDate),
  }),
]);

/** `source` is accepted as an alias of `kind` (`{ source: 'marketplace-sim', ... }`). */
export const dataSourceSpecSchema = z.preprocess((v) => {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'source' in v && !('kind' in v)) {
    const { source, ...rest } = v as Record<string, unknown>;
    return { kind: source, ...rest };
  }
  return v;
}, dataSourceUnion);
export type DataSourceSpec = z.infer<typeof dataSourceUnion>;

/** API / CLI request for a training job; dates are ISO strings. */
export const trainingJobRequestSchema = z.strictObject({
  jobKey: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, . _ - (max 128)'),
  modelName: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/).default('checkout'),
  modelType: z.enum(['logistic', 'mlp', 'gbdt', 'blend']).default('gbdt'),
  dataSource: dataSourceSpecSchema,
  /** Optional for sources that imply a window (marketplace-sim, served-log with `window`). */
  trainWindow: windowSchema.optional(),
  evaluationWindow: windowSchema.optional(),
  maturityCutoff: isoDay.optional(),
  chargebackWindowDays: z.number().min(0).max(365).default(70),
  immature: z.union([z.literal('exclude'), z.strictObject({ provisionalWeight: z.number().gt(0).max(1) })]).default('exclude'),
  sourceWeights: z.record(z.enum(['chargeback', 'issuer_fraud_report', 'manual_review', 'customer_confirmed', 'authorisation_failure', 'review_rejected']), z.number().min(0).max(1)).optional(),
  seed: z.number().int().min(0).default(42),
  calibration: z.enum(['platt', 'isotonic']).default('platt'),
  hyperparameters: z
    .strictObject({
      network: z.record(z.string(), z.unknown()).optional(),
      gbdt: z.record(z.string(), z.unknown()).optional(),
      blendWeights: z.array(z.number().min(0).max(1)).optional(),
      scalerClip: z.number().positive().nullable().optional(),
    })
    .optional(),
  maxFalseDeclineRate: z.number().gt(0).max(1).default(0.01),
  costMatrix: z
    .strictObject({
      frictionCost: z.number().min(0),
      stepUpFraudCatchRate: z.number().min(0).max(1),
      falseDeclineCost: z.number().min(0),
      falseDeclineAmountRate: z.number().min(0),
    })
    .default({ frictionCost: 0.5, stepUpFraudCatchRate: 0.8, falseDeclineCost: 5, falseDeclineAmountRate: 0.1 }),
});
type Window = z.infer<typeof windowSchema>;
/** A parsed request: windows and cut-off resolved (what the queue stores, so the worker never guesses). */
export type TrainingJobRequest = Omit<z.infer<typeof trainingJobRequestSchema>, 'trainWindow' | 'evaluationWindow'> & {
  trainWindow: Window;
  evaluationWindow: Window;
};

const ms = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const iso = (t: number) => new Date(t).toISOString();

const invalid = (path: string, message: string) => new ValidationError('Invalid training job request', [{ path, message }], 'TRAINING_JOB_INVALID');

/**
 * Windows implied by the data source when the request gives none: the simulated period (or the served-log window)
 * split by day, ~70% train / 30% evaluation for simulations (day 0 is warm-up history), last 20% for the log.
 */
function impliedWindows(spec: DataSourceSpec): { train: Window; evaluation: Window } | undefined {
  const split = (from: number, days: number, trainDays: number) => ({
    train: { from: iso(from), to: iso(from + trainDays * DAY_MS) },
    evaluation: { from: iso(from + trainDays * DAY_MS), to: iso(from + days * DAY_MS) },
  });
  if (spec.kind === 'marketplace-sim') {
    const start = ms(spec.startDate) + DAY_MS;
    const days = spec.days - 1;
    return split(start, days, Math.max(1, Math.round(days * 0.7)));
  }
  if (spec.kind === 'served-log' && spec.window) {
    const from = ms(spec.window.from);
    const days = (ms(spec.window.to) - from) / DAY_MS;
    if (!(days >= 2)) throw invalid('dataSource.window', 'must span at least 2 days to split into train and evaluation');
    const evalDays = Math.max(1, Math.round(days * 0.2));
    const w = split(from, days, days - evalDays);
    return { train: w.train, evaluation: { ...w.evaluation, to: iso(ms(spec.window.to)) } };
  }
  return undefined;
}

export function parseTrainingJobRequest(body: unknown): TrainingJobRequest {
  const r = trainingJobRequestSchema.safeParse(body);
  if (!r.success) {
    throw new ValidationError(
      'Invalid training job request',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
      'TRAINING_JOB_INVALID',
    );
  }
  const req = r.data;
  const implied = req.trainWindow && req.evaluationWindow ? undefined : impliedWindows(req.dataSource);
  const trainWindow = req.trainWindow ?? implied?.train;
  const evaluationWindow = req.evaluationWindow ?? implied?.evaluation;
  if (!trainWindow) throw invalid('trainWindow', 'required for this data source');
  if (!evaluationWindow) throw invalid('evaluationWindow', 'required for this data source');
  let maturityCutoff = req.maturityCutoff;
  if (req.dataSource.kind === 'served-log' && req.dataSource.maturityCutoff) {
    if (maturityCutoff && ms(maturityCutoff) !== ms(req.dataSource.maturityCutoff)) throw invalid('maturityCutoff', 'differs from dataSource.maturityCutoff');
    maturityCutoff = req.dataSource.maturityCutoff;
  }
  // A simulation knows its whole future: by default train once every evaluation label has matured.
  if (!maturityCutoff && req.dataSource.kind === 'marketplace-sim') maturityCutoff = iso(ms(evaluationWindow.to) + req.chargebackWindowDays * DAY_MS);
  return { ...req, trainWindow, evaluationWindow, maturityCutoff };
}

export function toTrainingJobCommand(req: TrainingJobRequest): TrainingJobCommand {
  return {
    jobKey: req.jobKey,
    modelName: req.modelName,
    modelType: req.modelType,
    trainWindow: { from: ms(req.trainWindow.from), to: ms(req.trainWindow.to) },
    evaluationWindow: { from: ms(req.evaluationWindow.from), to: ms(req.evaluationWindow.to) },
    maturityCutoff: req.maturityCutoff ? ms(req.maturityCutoff) : undefined,
    chargebackWindowDays: req.chargebackWindowDays,
    immature: req.immature,
    sourceWeights: req.sourceWeights,
    seed: req.seed,
    calibration: req.calibration,
    hyperparameters: req.hyperparameters as TrainingJobCommand['hyperparameters'],
    maxFalseDeclineRate: req.maxFalseDeclineRate,
    costMatrix: req.costMatrix,
  };
}

function insideDataDir(dataDir: string, path: string): string {
  const root = resolve(dataDir);
  const p = resolve(root, path);
  const rel = relative(root, p);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ValidationError('dataSource.path must be inside the data directory', [{ path: 'dataSource.path', message: 'outside data dir' }], 'DATA_PATH_FORBIDDEN');
  }
  return p;
}

export interface DataSourceContext {
  /** Postgres pool reaching the served-feature log (required by `served-log`). */
  pool?: Pool;
}

/** Builds the data source of a request; file paths must stay inside `dataDir`. */
export function createDataSource(spec: DataSourceSpec, dataDir: string, ctx: DataSourceContext = {}): TrainingDataSource {
  switch (spec.kind) {
    case 'handbook-csv':
      return new HandbookCsvDataSource(insideDataDir(dataDir, spec.path));
    case 'handbook-simulated': {
      const { customers, terminals, days, startDate, seed } = spec;
      return new HandbookRowsDataSource(
        () => simulatedHandbookRows(simulateHandbook({ customers, terminals, days, startDate, seed })),
        `handbook simulator (customers=${customers}, terminals=${terminals}, days=${days}, start=${startDate}, seed=${seed})`,
      );
    }
    case 'served-log': {
      if (!ctx.pool) throw new ValidationError('The served-feature log is not configured on this trainer', [{ path: 'dataSource.kind', message: 'no database' }], 'SERVED_LOG_UNAVAILABLE');
      return new ServedFeatureLogDataSource({
        pool: ctx.pool,
        region: spec.region,
        featureSet: spec.featureSetVersion === undefined || spec.featureSetVersion === checkoutFeatureSet.version ? undefined : { ...checkoutFeatureSet, version: spec.featureSetVersion },
      });
    }
    case 'marketplace-jsonl': {
      const p = insideDataDir(dataDir, spec.path);
      return new MarketplaceEventsDataSource(() => readRiskEventsJsonl(p), `marketplace events JSONL ${spec.path}`);
    }
    case 'marketplace-sim': {
      const { seed, shoppers, days, startDate } = spec;
      const merchants = spec.merchants ?? Math.max(10, Math.round(shoppers * 0.7));
      return new MarketplaceEventsDataSource(
        () => marketplaceEvents({ seed, shoppers, days, merchants, startDate }),
        `marketplace simulator (seed=${seed}, shoppers=${shoppers}, merchants=${merchants}, days=${days}, start=${startDate})`,
      );
    }
  }
}
