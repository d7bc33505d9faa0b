import type { RegistryClient } from '@risk/registry-client';
import { DependencyUnavailableError } from '@risk/util-errors';
import type { ReferenceStore, TrainingReference } from './training-reference';
import { TRAINING_REFERENCE_KIND } from './training-reference';

/**
 * The training reference as evidence of the model version (`kind: training_reference`), written with the
 * registry client. The client has no evidence reader yet, so reads call `GET /api/v1/versions/:id/evidence`.
 */
export class RegistryReferenceStore implements ReferenceStore {
  private readonly cache = new Map<string, TrainingReference>();

  constructor(
    private readonly client: RegistryClient,
    private readonly http: { baseUrl: string; token: string; timeoutMs?: number },
  ) {}

  async save(reference: TrainingReference): Promise<void> {
    await this.client.attachEvidence(reference.modelVersion, { kind: TRAINING_REFERENCE_KIND, data: reference as unknown as Record<string, unknown> });
    this.cache.set(reference.modelVersion, reference);
  }

  async load(modelVersion: string): Promise<TrainingReference | null> {
    const hit = this.cache.get(modelVersion);
    if (hit) return hit;
    const url = `${this.http.baseUrl.replace(/\/$/, '')}/api/v1/versions/${encodeURIComponent(modelVersion)}/evidence`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${this.http.token}` }, signal: AbortSignal.timeout(this.http.timeoutMs ?? 3000) });
    } catch (err) {
      throw new DependencyUnavailableError('REGISTRY_UNAVAILABLE', `registry evidence read failed: ${(err as Error).message}`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new DependencyUnavailableError('REGISTRY_UNAVAILABLE', `registry evidence read answered ${res.status}`);
    const rows = (await res.json()) as Array<{ kind?: string; data?: unknown }>;
    const last = rows.filter((r) => r.kind === TRAINING_REFERENCE_KIND).pop();
    if (!last?.data) return null;
    const ref = last.data as TrainingReference;
    this.cache.set(modelVersion, ref);
    return ref;
  }
}
