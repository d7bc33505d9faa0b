import { ValidationError } from '@risk/util-errors';
import { simulateHandbook } from '@risk/simulators';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { HandbookCsvDataSource, HandbookRowsDataSource } from '../data/handbook.data-source';
import { simulatedHandbookRows } from '../data/simulated-handbook';
import type { TrainingDataSource } from '../data/training-data.types';
import type { TrainingJobCommand } from './training-job.types';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'ISO date (YYYY-MM-DD or full UTC timestamp)');
const windowSchema = z.strictObject({ from: isoDay, to: isoDay });

export const dataSourceSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('handbook-csv'), path: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('handbook-simulated'),
    customers: z.number().int().min(10).max(20_000).default(1000),
    terminals: z.number().int().min(10).max(40_000).default(2000),
    days: z.number().int().min(10).max(400).default(60),
    startDate: isoDay.default('2018-04-01'),
    seed: z.number().int().min(0).default(0),
  }),
]);
export type DataSourceSpec = z.infer<typeof dataSourceSpecSchema>;

/** API / CLI request for a training job; dates are ISO strings. */
export const trainingJobRequestSchema = z.strictObject({
  jobKey: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, . _ - (max 128)'),
  modelName: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/).default('checkout'),
  modelType: z.enum(['logistic', 'mlp', 'gbdt', 'blend']).default('gbdt'),
  dataSource: dataSourceSpecSchema,
  trainWindow: windowSchema,
  evaluationWindow: windowSchema,
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
export type TrainingJobRequest = z.infer<typeof trainingJobRequestSchema>;

export function parseTrainingJobRequest(body: unknown): TrainingJobRequest {
  const r = trainingJobRequestSchema.safeParse(body);
  if (!r.success) {
    throw new ValidationError(
      'Invalid training job request',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
      'TRAINING_JOB_INVALID',
    );
  }
  return r.data;
}

const ms = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

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

/** Builds the data source of a request; CSV paths must stay inside `dataDir`. */
export function createDataSource(spec: DataSourceSpec, dataDir: string): TrainingDataSource {
  if (spec.kind === 'handbook-csv') {
    const root = resolve(dataDir);
    const p = resolve(root, spec.path);
    const rel = relative(root, p);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new ValidationError('dataSource.path must be inside the data directory', [{ path: 'dataSource.path', message: 'outside data dir' }], 'DATA_PATH_FORBIDDEN');
    }
    return new HandbookCsvDataSource(p);
  }
  const { customers, terminals, days, startDate, seed } = spec;
  return new HandbookRowsDataSource(
    () => simulatedHandbookRows(simulateHandbook({ customers, terminals, days, startDate, seed })),
    `handbook simulator (customers=${customers}, terminals=${terminals}, days=${days}, start=${startDate}, seed=${seed})`,
  );
}
