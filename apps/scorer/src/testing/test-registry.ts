import Fastify, { type FastifyInstance } from 'fastify';
import { linearMlBundle, type ModelAssignment, type ModelRef } from '@risk/decision';
import { checkoutFeatureSet } from '@risk/feature-sets';

/**
 * A real HTTP server speaking the model registry's scorer-facing API (the endpoints @risk/registry-client calls):
 * region deployment, rollout timeline (the controller's canary `trafficPercent`) and sha256-announced artifacts.
 * It serves real @risk/ml bundles for the checkout feature set; `corrupt` serves bytes that do not match the sha256.
 */
export class TestRegistry {
  private readonly app: FastifyInstance = Fastify();
  private readonly blobs = new Map<string, { bytes: Buffer; sha256: string }>();
  assignment: ModelAssignment = { production: null, canary: null, shadows: [] };
  url = '';

  model(version: string, weights: Record<string, number>, bias = -3, opts: { corrupt?: boolean } = {}): ModelRef {
    const { bytes, sha256 } = linearMlBundle({ featureSet: checkoutFeatureSet, featureNames: checkoutFeatureSet.featureNames, weights, bias, tag: version });
    this.blobs.set(version, { bytes: opts.corrupt ? Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from('0}')]) : bytes, sha256 });
    return { name: 'checkout', version, sha256 };
  }

  async start(): Promise<this> {
    const slot = (r: ModelRef | undefined) => (r ? { versionId: r.version, version: 1, artifactSha256: r.sha256, policyVersion: 'p1' } : null);
    this.app.get<{ Params: { model: string; region: string } }>('/api/v1/models/:model/regions/:region', async (req) => {
      const a = this.assignment;
      return { model: req.params.model, modelId: 'm', region: req.params.region, production: slot(a.production ?? undefined), canary: slot(a.canary?.ref), shadow: slot(a.shadows[0]) };
    });
    this.app.get<{ Params: { id: string } }>('/api/v1/versions/:id/rollout-steps', async (req) => {
      const c = this.assignment.canary;
      if (!c || c.ref.version !== req.params.id) return [];
      return [
        { id: 's1', seq: 1, versionId: req.params.id, modelId: 'm', region: 'eu', step: 'canary-1', trafficPercent: 1, status: 'started', details: {}, actor: 'controller', createdAt: new Date().toISOString() },
        { id: 's2', seq: 2, versionId: req.params.id, modelId: 'm', region: 'eu', step: `canary-${c.percent}`, trafficPercent: c.percent, status: 'started', details: {}, actor: 'controller', createdAt: new Date().toISOString() },
      ];
    });
    this.app.get<{ Params: { id: string } }>('/api/v1/versions/:id/artifact', async (req, reply) => {
      const b = this.blobs.get(req.params.id);
      if (!b) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
      return reply.type('application/octet-stream').header('x-artifact-sha256', b.sha256).send(b.bytes);
    });
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}
