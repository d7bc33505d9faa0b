import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linearMlBundle } from '@risk/decision';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { RegistryClient } from '@risk/registry-client';

/** Demo tokens of the registry's seed (REGISTRY_SEED_DEMO=true; `DEMO_TOKENS` in @risk/registry). */
export const REGISTRY_TOKENS = { mlEngineer: 'demo-ml-engineer-mia', rm1: 'demo-release-manager-rita', rm2: 'demo-release-manager-rob', scorer: 'demo-service-scorer' };
export const PEAK_MODEL = 'checkout';

const WEIGHTS: Record<string, number> = { log_amount: 0.35, is_guest: 0.6, new_device_for_account: 0.5, new_card_for_account: 0.4, new_address_for_account: 0.3 };

/**
 * Registers a small logistic bundle for the checkout feature set in the real registry and promotes it to
 * production in `region` (ML engineer registers and requests, one release manager approves, another executes).
 * `corruptOnDisk` overwrites the stored artifact after the registry verified it (a damaged object in the bucket):
 * the registry advertises the right sha256 and the scorer must refuse the bytes.
 */
export async function publishModel(registryUrl: string, artifactDir: string, tag: string, opts: { region?: string; corruptOnDisk?: boolean } = {}): Promise<string> {
  const region = opts.region ?? 'eu';
  const client = (token: string): RegistryClient => new RegistryClient({ baseUrl: registryUrl, token, timeoutMs: 10_000 });
  const mia = client(REGISTRY_TOKENS.mlEngineer);
  const weights = Object.fromEntries(Object.entries(WEIGHTS).filter(([k]) => (checkoutFeatureSet.featureNames as readonly string[]).includes(k)));
  const { bytes, sha256 } = linearMlBundle({ featureSet: checkoutFeatureSet, featureNames: checkoutFeatureSet.featureNames, weights, bias: -4, tag });
  await mia.ensureModel(PEAK_MODEL, 'peak/chaos benchmark model');
  const v = await mia.registerVersion(
    PEAK_MODEL,
    {
      metrics: { summary: { auc: 0.5 } },
      lineage: { trainingJobId: `peak-${tag}`, dataWindowStart: '2026-11-01T00:00:00Z', dataWindowEnd: '2026-11-02T00:00:00Z', featureSetName: checkoutFeatureSet.name, featureSetVersion: String(checkoutFeatureSet.version), codeCommit: 'peak' },
      policyVersion: 'policy-2026.11.1',
      description: `bench:peak / chaos model ${tag}`,
    },
    bytes,
  );
  if (opts.corruptOnDisk) {
    const file = join(artifactDir, 'sha256', sha256.slice(0, 2), sha256);
    const stored = readFileSync(file);
    writeFileSync(file, Buffer.concat([stored.subarray(0, stored.length - 2), Buffer.from('0}')]));
  }
  const req = await mia.requestPromotion(v.id, { region, targetStage: 'production', reason: `peak ${tag}` });
  await client(REGISTRY_TOKENS.rm1).approve(req.id, 'peak benchmark');
  await client(REGISTRY_TOKENS.rm2).executePromotion(req.id, {});
  return v.id;
}
