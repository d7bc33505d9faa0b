import Fastify, { type FastifyInstance } from 'fastify';
import { encodeLogisticBundle, type ModelAssignment, type ModelRef } from '@risk/decision';

/**
 * A real HTTP registry for tests, speaking the same two endpoints as the scorer's registry adapter. It serves
 * logistic bundles; `corrupt` serves bytes that do not match the advertised sha256.
 */
export class TestRegistry {
  private readonly app: FastifyInstance = Fastify();
  private readonly blobs = new Map<string, Buffer>();
  assignment: ModelAssignment = { production: null, canary: null, shadows: [] };
  url = '';

  model(version: string, weights: Record<string, number>, bias = -3, opts: { corrupt?: boolean } = {}): ModelRef {
    const { bytes, sha256 } = encodeLogisticBundle({ format: 'logistic-v1', version, bias, weights });
    this.blobs.set(version, opts.corrupt ? Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from('0}')]) : bytes);
    return { name: 'checkout', version, sha256 };
  }

  async start(): Promise<this> {
    this.app.get('/v1/models/:name/assignment', async () => this.assignment);
    this.app.get<{ Params: { version: string } }>('/v1/models/:name/versions/:version/artifact', async (req, reply) => {
      const b = this.blobs.get(req.params.version);
      if (!b) return reply.code(404).send({ error: 'not found' });
      return reply.type('application/octet-stream').send(b);
    });
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}
