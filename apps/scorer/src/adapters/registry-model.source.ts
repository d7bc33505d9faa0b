import type { ModelAssignment, ModelRef, ModelSource } from '@risk/decision';
import { RegistryClient, type DeploymentSlot } from '@risk/registry-client';

export interface RegistryModelSourceOptions {
  baseUrl: string;
  token: string;
  modelName: string;
  timeoutMs: number;
  artifactTimeoutMs?: number;
}

/**
 * The model registry through @risk/registry-client: the region's deployment names production/canary/shadow;
 * artifacts are downloaded and sha256-verified by the client. `ModelRef.version` is the registry version id, the
 * string the rollout controller expects on decisions (`RolloutSubject.scorerVersion` defaults to it).
 *
 * Canary share: the controller writes it as `trafficPercent` of the canary version's rollout timeline
 * (`appendRolloutStep`, @risk/rollout); the newest entry of this region with a percentage applies, 0 when none.
 */
export class RegistryModelSource implements ModelSource {
  private readonly client: RegistryClient;

  constructor(private readonly o: RegistryModelSourceOptions) {
    this.client = new RegistryClient({ baseUrl: o.baseUrl, token: o.token, timeoutMs: o.timeoutMs, artifactTimeoutMs: o.artifactTimeoutMs ?? 30_000 });
  }

  private ref(s: DeploymentSlot): ModelRef {
    return { name: this.o.modelName, version: s.versionId, sha256: s.artifactSha256 };
  }

  async assignment(region: string): Promise<ModelAssignment> {
    const d = await this.client.getRegionDeployment(this.o.modelName, region);
    let canary: ModelAssignment['canary'] = null;
    if (d.canary) {
      const steps = (await this.client.listRolloutSteps(d.canary.versionId)).filter((s) => s.region === region && s.trafficPercent !== null);
      steps.sort((a, b) => a.seq - b.seq);
      canary = { ref: this.ref(d.canary), percent: steps.at(-1)?.trafficPercent ?? 0 };
    }
    return { production: d.production ? this.ref(d.production) : null, canary, shadows: d.shadow ? [this.ref(d.shadow)] : [] };
  }

  async download(ref: ModelRef): Promise<Uint8Array> {
    return (await this.client.downloadArtifact(ref.version, ref.sha256)).data;
  }
}
