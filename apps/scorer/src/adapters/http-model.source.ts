import type { ModelAssignment, ModelRef, ModelSource } from '@risk/decision';

export interface HttpModelSourceOptions {
  baseUrl: string;
  modelName: string;
  token?: string;
  timeoutMs: number;
}

/**
 * Interim registry adapter until @risk/registry-client lands:
 * `GET /v1/models/:name/assignment?region=` → {production, canary: {ref, percent}, shadows}
 * `GET /v1/models/:name/versions/:version/artifact` → bundle bytes (verified by the loader against sha256).
 */
export class HttpModelSource implements ModelSource {
  constructor(private readonly o: HttpModelSourceOptions) {}

  private async get(path: string): Promise<Response> {
    const res = await fetch(new URL(path, this.o.baseUrl), {
      headers: this.o.token ? { authorization: `Bearer ${this.o.token}` } : {},
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    if (!res.ok) throw new Error(`registry ${path} answered ${res.status}`);
    return res;
  }

  async assignment(region: string): Promise<ModelAssignment> {
    const body = (await (await this.get(`/v1/models/${encodeURIComponent(this.o.modelName)}/assignment?region=${region}`)).json()) as Partial<ModelAssignment>;
    return { production: body.production ?? null, canary: body.canary ?? null, shadows: body.shadows ?? [] };
  }

  async download(ref: ModelRef): Promise<Uint8Array> {
    const res = await this.get(`/v1/models/${encodeURIComponent(ref.name)}/versions/${encodeURIComponent(ref.version)}/artifact`);
    return new Uint8Array(await res.arrayBuffer());
  }
}
