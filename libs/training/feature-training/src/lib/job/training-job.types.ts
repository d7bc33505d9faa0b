import type { CostMatrix, ModelType, TrainModelInput } from '@risk/ml';
import type { LabelMaturityReport, LabelSignalSource } from '../labels/label-maturity';
import type { TrainingDataSource } from '../data/training-data.types';

export interface TrainingJobCommand {
  /** Idempotency key (the queue's job id). */
  jobKey: string;
  modelName: string;
  modelType: ModelType;
  /** Training rows: occurredAt in [from, to), epoch ms. */
  trainWindow: { from: number; to: number };
  /** Evaluation rows, after the training window. */
  evaluationWindow: { from: number; to: number };
  /** Labels that arrived after this are ignored (defaults to the evaluation window's end). */
  maturityCutoff?: number;
  chargebackWindowDays: number;
  immature: 'exclude' | { provisionalWeight: number };
  sourceWeights?: Partial<Record<LabelSignalSource, number>>;
  seed: number;
  calibration: 'platt' | 'isotonic';
  hyperparameters?: Pick<TrainModelInput, 'network' | 'gbdt' | 'blendWeights' | 'scalerClip'>;
  /** For "recall at a fixed false-decline rate". */
  maxFalseDeclineRate: number;
  costMatrix: CostMatrix;
}

export interface TrainingJobProgress {
  phase: 'load' | 'label' | 'train' | 'evaluate' | 'register' | 'done';
  /** 0..100 */
  percent: number;
  rows: number;
  rowsPerSecond: number;
  detail?: string;
}

export interface EvaluationMetrics {
  rows: number;
  frauds: number;
  aucRoc: number;
  averagePrecision: number;
  cardPrecisionAt100: number;
  recallAtFalseDeclineRate: { maxFalseDeclineRate: number; recall: number; falseDeclineRate: number; threshold: number };
  expectedCost: { realisedCost: number; allowAllCost: number; costPerTransaction: number; actions: Record<string, number> };
  ece: number;
  brier: number;
  bySegment: { region: Record<string, unknown>; paymentMethod: Record<string, unknown> };
}

export interface RegisteredModel {
  name: string;
  version: string;
  versionId?: string;
}

/** What the job hands the registry: artifact bytes, metrics and lineage. */
export interface ModelRegistration {
  name: string;
  modelType: ModelType;
  artifact: Buffer;
  sha256: string;
  metrics: Record<string, number>;
  evaluation: EvaluationMetrics;
  comparison?: { productionVersion: string; production: EvaluationMetrics };
  lineage: Record<string, string | number | boolean | null>;
  labels: LabelMaturityReport;
  /** ROC / PR points of the evaluation (downsampled). */
  curves?: { roc: { x: number; y: number; threshold: number }[]; pr: { x: number; y: number; threshold: number }[] };
  idempotencyKey: string;
}

/** Port onto the model registry; the HTTP adapter wraps @risk/registry-client. */
export interface ModelRegistryPort {
  register(reg: ModelRegistration): Promise<RegisteredModel>;
  /** The production bundle bytes of a model, when one exists. */
  productionArtifact(name: string): Promise<{ version: string; artifact: Buffer } | undefined>;
}

export interface TrainingJobResult {
  jobKey: string;
  model: RegisteredModel | null;
  artifactPath: string | null;
  sha256: string;
  evaluation: EvaluationMetrics;
  comparison?: { productionVersion: string; production: EvaluationMetrics; deltaAveragePrecision: number; deltaAucRoc: number };
  labels: LabelMaturityReport;
  lineage: Record<string, string | number | boolean | null>;
  /** Raw feature rows and the trained model's probabilities for them (artifact parity checks). */
  parityProbe: { X: number[][]; scores: number[] };
  timings: { loadSeconds: number; trainSeconds: number; totalSeconds: number; trainRowsPerSecond: number };
}

export interface TrainingJobDeps {
  dataSource: TrainingDataSource;
  registry?: ModelRegistryPort;
  /** Writes the bundle where the registry/scorer can fetch it; returns its path or URI. */
  saveArtifact?: (name: string, jobKey: string, bytes: Buffer) => Promise<string>;
  codeCommit: string;
  onProgress?: (p: TrainingJobProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}
