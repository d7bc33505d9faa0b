import Fastify from 'fastify';
import type { ModelAssignment } from '@risk/decision';
import { RegistryClient } from '@risk/registry-client';

/**
 * The scorer's registry adapter (apps/scorer/src/adapters/http-model.source.ts) still speaks its interim protocol
 * (`/v1/models/:name/assignment`, `/v1/models/:name/versions/:v/artifact`). This bridge answers it from the real
 * registry the way the controller's integration harness does: production/canary/shadow of the region's deployment,
 * the canary percentage from the newest rollout-timeline entry, artifacts sha256-verified by @risk/registry-client.
 * Remove it once the scorer reads the registry API directly.
 */
export async function startAssignmentBridge(registryUrl: string, scorerToken: string): Promise<{ url: string; close(): Promise<void> }> {
  const client = new RegistryClient({ baseUrl: registryUrl, token: scorerToken, timeoutMs: 2000 });
  const app = Fastify();
  app.get<{ Params: { name: string }; Querystring: { region: string } }>('/v1/models/:name/assignment', async (req) => {
    const d = await client.getRegionDeployment(req.params.name, req.query.region);
    const ref = (s: { versionId: string; artifactSha256: string }) => ({ name: req.params.name, version: s.versionId, sha256: s.artifactSha256 });
    let canary: ModelAssignment['canary'] = null;
    if (d.canary) {
      const steps = (await client.listRolloutSteps(d.canary.versionId)).filter((s) => s.region === req.query.region && s.trafficPercent !== null);
      canary = { ref: ref(d.canary), percent: steps.at(-1)?.trafficPercent ?? 0 };
    }
    const body: ModelAssignment = { production: d.production ? ref(d.production) : null, canary, shadows: d.shadow ? [ref(d.shadow)] : [] };
    return body;
  });
  app.get<{ Params: { version: string } }>('/v1/models/:name/versions/:version/artifact', async (req, reply) => {
    const { data } = await client.downloadArtifact(req.params.version);
    return reply.type('application/octet-stream').send(data);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
