import type { DecisionMadeEvent, ScoringRequest } from '@risk/contract-events';
import { DomainError } from '@risk/util-errors';

/** A feature provider rejects with this when its own (client-side) timeout fired: reported as `features_timeout`. */
export class FeatureTimeoutError extends DomainError {
  constructor(message = 'online feature read timed out') {
    super('FEATURES_TIMEOUT', message, 'unavailable');
  }
}

/** Numeric features by name. Missing entries are simply absent. */
export type FeatureValues = Record<string, number>;

export interface FeatureReadResult {
  values: FeatureValues;
  /** Entities (account, card, device, ...) whose state was not found. */
  missing: string[];
  /** True when some state is older than the freshness bound of its feature set. */
  stale: boolean;
}

/** Online feature read for one request (one round trip). Rejects on timeout/unavailability; the pipeline degrades. */
export interface FeatureProvider {
  read(request: EdgeRequest, deadlineMs: number): Promise<FeatureReadResult>;
}

/** A loaded, ready-to-call model: a calibrated probability for one encoded row. */
export interface ModelScorer {
  readonly version: string;
  readonly featureNames: readonly string[];
  predict(row: Float32Array): number;
}

export interface ModelRef {
  name: string;
  version: string;
  sha256: string;
}

/** What the registry says should serve in a region; the canary percentage comes from the rollout controller. */
export interface ModelAssignment {
  production: ModelRef | null;
  canary: { ref: ModelRef; percent: number } | null;
  shadows: ModelRef[];
}

export interface ModelSource {
  assignment(region: string): Promise<ModelAssignment>;
  download(ref: ModelRef): Promise<Uint8Array>;
}

/** Turns artifact bytes into a scorer; must verify the checksum and throw on mismatch or a bad format. */
export type ModelLoader = (bytes: Uint8Array, ref: ModelRef) => ModelScorer | Promise<ModelScorer>;

/** Non-blocking: must never throw or wait on the critical path. */
export interface DecisionPublisher {
  publish(event: DecisionMadeEvent): void;
  /** False while the log cannot take records; decisions then report `event_log_unavailable`. */
  available?(): boolean;
}

export type PiiKind = 'account' | 'email' | 'phone' | 'ip' | 'device' | 'address';

export interface Tokenizer {
  tokenize(kind: PiiKind, value: string): string;
}

/** The request after edge tokenisation: raw identifiers replaced by keyed tokens; only this travels further. */
export interface EdgeRequest {
  request: ScoringRequest;
  tokens: {
    account: string;
    email: string;
    phone?: string;
    ip: string;
    device: string;
    address: string;
    card?: string;
  };
}
