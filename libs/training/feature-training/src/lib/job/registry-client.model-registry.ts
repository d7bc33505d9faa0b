import { RegistryClient, RegistryRequestError, type RegistryClientOptions } from '@risk/registry-client';
import type { ModelRegistration, ModelRegistryPort, RegisteredModel } from './training-job.types';

export interface RegistryAdapterOptions extends RegistryClientOptions {
  /** Region whose production model is the comparison baseline. */
  region: string;
  policyVersion: string;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** ModelRegistryPort over the registry's HTTP API (@risk/registry-client). */
export class RegistryClientModelRegistry implements ModelRegistryPort {
  private readonly client: RegistryClient;

  constructor(private readonly o: RegistryAdapterOptions) {
    this.client = new RegistryClient(o);
  }

  async register(reg: ModelRegistration): Promise<RegisteredModel & { versionId: string }> {
    await this.client.ensureModel(reg.name, 'checkout fraud-risk model');
    const [fsName, fsVersion] = str(reg.lineage.featureSet).split('@');
    const segments = Object.entries(reg.evaluation.bySegment).flatMap(([dim, byValue]) =>
      Object.entries(byValue as Record<string, Record<string, number>>).map(([value, m]) => ({
        name: `${dim}=${value}`,
        // A segment without frauds has no AUC/AP (NaN): report what is defined rather than a null the registry refuses.
        values: finiteOnly({ count: m.count, positives: m.positives, aucRoc: m.aucRoc, averagePrecision: m.averagePrecision, ece: m.ece }),
      })),
    );
    const summary: Record<string, number> = finiteOnly({ ...reg.metrics });
    if (reg.comparison) {
      summary.productionAucRoc = reg.comparison.production.aucRoc;
      summary.productionAveragePrecision = reg.comparison.production.averagePrecision;
    }
    const v = await this.client.registerVersion(
      reg.name,
      {
        metrics: { summary, roc: reg.curves?.roc, pr: reg.curves?.pr, segments },
        lineage: {
          trainingJobId: reg.idempotencyKey,
          dataWindowStart: str(reg.lineage.trainWindowFrom),
          dataWindowEnd: str(reg.lineage.trainWindowTo),
          featureSetName: fsName ?? '',
          featureSetVersion: fsVersion ?? '',
          codeCommit: str(reg.lineage.codeCommit),
        },
        policyVersion: this.o.policyVersion,
        description: `${reg.modelType}; maturity cut-off ${str(reg.lineage.maturityCutoff)}; ${reg.labels.counts.fraud} fraud / ${reg.labels.counts.legitimate} legitimate labels`,
      },
      reg.artifact,
    );
    return { name: reg.name, version: String(v.version), versionId: v.id };
  }

  async productionArtifact(name: string): Promise<{ version: string; artifact: Buffer } | undefined> {
    try {
      const d = await this.client.getRegionDeployment(name, this.o.region);
      if (!d.production) return undefined;
      const { data } = await this.client.downloadArtifact(d.production.versionId, d.production.artifactSha256);
      return { version: String(d.production.version), artifact: data };
    } catch (e) {
      if (e instanceof RegistryRequestError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** For tests and tools: the registered bytes of a version. */
  download(versionId: string, sha256?: string): Promise<{ sha256: string; data: Buffer }> {
    return this.client.downloadArtifact(versionId, sha256);
  }
}

function finiteOnly(values: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}
