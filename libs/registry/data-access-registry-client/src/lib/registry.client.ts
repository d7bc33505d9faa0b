import { createHash } from 'node:crypto';
import { DependencyUnavailableError, DomainError, type ErrorKind } from '@risk/util-errors';
import type {
  LiveAtResult,
  ModelVersionDto,
  PromotionRequestDto,
  PromotionResult,
  RegionDeployment,
  RegisterVersionInput,
  RollbackResult,
  RolloutStepDto,
  RolloutStepInput,
  Stage,
  StageChangedEvent,
} from './registry-client.types';

export interface RegistryClientOptions {
  baseUrl: string;
  /** API token of the calling service or person (scorer, trainer, controller, ...). */
  token: string;
  /** Per JSON call. The scorer keeps this small; it never calls the registry on the decision path. */
  timeoutMs?: number;
  /** Artifact upload/download. */
  artifactTimeoutMs?: number;
}

const KIND_BY_STATUS: Record<number, ErrorKind> = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 412: 'precondition', 413: 'too_large' };

/** The registry answered with an error; `code` is its machine-readable code (e.g. STALE_REQUEST, FREEZE_ACTIVE). */
export class RegistryRequestError extends DomainError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly errorId?: string,
  ) {
    super(code, message, KIND_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'invalid'));
  }
}

export class ArtifactIntegrityError extends DomainError {
  constructor(expected: string, actual: string) {
    super('ARTIFACT_CHECKSUM_MISMATCH', `Downloaded artifact hashes to ${actual}, expected ${expected}`, 'unavailable');
  }
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const enc = encodeURIComponent;

/** Typed HTTP client for the model registry (scorer, trainer, canary controller). Every call has a timeout. */
export class RegistryClient {
  private readonly base: string;
  constructor(private readonly o: RegistryClientOptions) {
    this.base = o.baseUrl.replace(/\/$/, '');
  }

  private async send(method: string, path: string, body?: unknown, timeoutMs = this.o.timeoutMs ?? 3000): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.token}`, accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (Buffer.isBuffer(body)) {
      headers['content-type'] = 'application/octet-stream';
      payload = new Uint8Array(body);
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error;
      throw new DependencyUnavailableError('REGISTRY_UNAVAILABLE', `Registry ${method} ${path} failed: ${e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : e.message}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let parsed: { error?: { code?: string; message?: string; errorId?: string } } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        /* not JSON */
      }
      throw new RegistryRequestError(res.status, parsed.error?.code ?? `HTTP_${res.status}`, parsed.error?.message ?? (text.slice(0, 200) || res.statusText), parsed.error?.errorId);
    }
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.send(method, path, body)).json()) as T;
  }

  // ── scorer ──
  getRegionDeployment(model: string, region: string): Promise<RegionDeployment> {
    return this.json('GET', `/api/v1/models/${enc(model)}/regions/${enc(region)}`);
  }

  getVersion(versionId: string): Promise<ModelVersionDto> {
    return this.json('GET', `/api/v1/versions/${enc(versionId)}`);
  }

  /** Downloads and verifies the bytes against the registered sha256 (and the caller's expectation, if given). */
  async downloadArtifact(versionId: string, expectedSha256?: string): Promise<{ sha256: string; data: Buffer }> {
    const res = await this.send('GET', `/api/v1/versions/${enc(versionId)}/artifact`, undefined, this.o.artifactTimeoutMs ?? 30_000);
    const data = Buffer.from(await res.arrayBuffer());
    const declared = res.headers.get('x-artifact-sha256') ?? '';
    const actual = sha256(data);
    const expected = expectedSha256 ?? declared;
    if (actual !== expected || (declared && declared !== actual)) throw new ArtifactIntegrityError(expected, actual);
    return { sha256: actual, data };
  }

  events(afterSeq = 0, limit = 100): Promise<{ events: StageChangedEvent[]; lastSeq: number }> {
    return this.json('GET', `/api/v1/events?afterSeq=${afterSeq}&limit=${limit}`);
  }

  // ── trainer ──
  /** Creates the model if needed (409 MODEL_EXISTS is fine). */
  async ensureModel(name: string, description = ''): Promise<void> {
    try {
      await this.json('POST', '/api/v1/models', { name, description });
    } catch (err) {
      if (!(err instanceof RegistryRequestError && err.code === 'MODEL_EXISTS')) throw err;
    }
  }

  /** Registers an immutable version for `artifact` (sha256/size computed here) and uploads the bytes. */
  async registerVersion(model: string, input: RegisterVersionInput, artifact: Buffer): Promise<ModelVersionDto> {
    const v = await this.json<ModelVersionDto>('POST', `/api/v1/models/${enc(model)}/versions`, { ...input, artifactSha256: sha256(artifact), artifactSizeBytes: artifact.length });
    if (v.artifact.status !== 'verified') await this.uploadArtifact(v.id, artifact);
    return this.getVersion(v.id);
  }

  async uploadArtifact(versionId: string, artifact: Buffer): Promise<{ sha256: string; status: string }> {
    const res = await this.send('PUT', `/api/v1/versions/${enc(versionId)}/artifact`, artifact, this.o.artifactTimeoutMs ?? 30_000);
    return (await res.json()) as { sha256: string; status: string };
  }

  // ── controller / release tooling ──
  transition(versionId: string, body: { region: string; toStage: Stage; reason: string; evidence?: Record<string, unknown> }): Promise<{ from: Stage; to: Stage }> {
    return this.json('POST', `/api/v1/versions/${enc(versionId)}/transitions`, body);
  }

  requestPromotion(versionId: string, body: { region: string; targetStage: 'canary' | 'production'; reason: string; evidence?: Record<string, unknown> }): Promise<PromotionRequestDto> {
    return this.json('POST', `/api/v1/versions/${enc(versionId)}/promotion-requests`, body);
  }

  listPromotionRequests(query: { model?: string; status?: string } = {}): Promise<PromotionRequestDto[]> {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString();
    return this.json('GET', `/api/v1/promotion-requests${qs ? `?${qs}` : ''}`);
  }

  approve(requestId: string, comment = ''): Promise<PromotionRequestDto> {
    return this.json('POST', `/api/v1/promotion-requests/${enc(requestId)}/approve`, { comment });
  }

  executePromotion(requestId: string, body: { reason?: string; evidence?: Record<string, unknown>; freezeOverride?: { reason: string } } = {}): Promise<PromotionResult> {
    return this.json('POST', `/api/v1/promotion-requests/${enc(requestId)}/execute`, body);
  }

  rollback(model: string, region: string, body: { reason: string; evidence?: Record<string, unknown> }): Promise<RollbackResult> {
    return this.json('POST', `/api/v1/models/${enc(model)}/regions/${enc(region)}/rollback`, body);
  }

  appendRolloutStep(versionId: string, step: RolloutStepInput): Promise<RolloutStepDto> {
    return this.json('POST', `/api/v1/versions/${enc(versionId)}/rollout-steps`, step);
  }

  listRolloutSteps(versionId: string): Promise<RolloutStepDto[]> {
    return this.json('GET', `/api/v1/versions/${enc(versionId)}/rollout-steps`);
  }

  attachEvidence(versionId: string, body: { kind: string; region?: string; data: Record<string, unknown> }): Promise<{ id: string; seq: number }> {
    return this.json('POST', `/api/v1/versions/${enc(versionId)}/evidence`, body);
  }

  liveAt(region: string, at: Date, model?: string): Promise<LiveAtResult> {
    return this.json('GET', `/api/v1/audit/live?region=${enc(region)}&at=${enc(at.toISOString())}${model ? `&model=${enc(model)}` : ''}`);
  }
}
