import Fastify, { type FastifyInstance } from 'fastify';
import { encodeLogisticBundle, type ModelAssignment, type ModelRef } from '@risk/decision';

/** A small checkout-risk model over request-time features (weights from the handbook's rules of thumb). */
export const PEAK_WEIGHTS: Record<string, number> = {
  rt_log_amount: 0.35,
  rt_is_guest: 0.6,
  rt_new_account: 0.5,
  rt_ip_bin_country_mismatch: 1.2,
  rt_ship_bin_country_mismatch: 0.9,
  rt_digital_goods: 0.7,
  rt_high_risk_category: 0.8,
  rt_express_shipping: 0.3,
};

/**
 * Serves model assignments and artifacts on the scorer's model-source contract (`/v1/models/:name/assignment`,
 * `/v1/models/:name/versions/:v/artifact`) — the contract of the scorer's interim HttpModelSource; apps/registry
 * speaks `/api/v1/...` and runs beside it in the stack. Can be stopped (registry down) and can publish a corrupt
 * artifact (bytes that do not match the advertised sha256).
 */
export class PeakModelServer {
  private app: FastifyInstance | null = null;
  private readonly blobs = new Map<string, Buffer>();
  assignment: ModelAssignment = { production: null, canary: null, shadows: [] };

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  publish(version: string, opts: { corrupt?: boolean; bias?: number } = {}): ModelRef {
    const { bytes, sha256 } = encodeLogisticBundle({ format: 'logistic-v1', version, bias: opts.bias ?? -4, weights: PEAK_WEIGHTS });
    this.blobs.set(version, opts.corrupt ? Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from('0}')]) : bytes);
    const ref = { name: 'checkout', version, sha256 };
    this.assignment = { production: ref, canary: null, shadows: [] };
    return ref;
  }

  async start(): Promise<void> {
    const app = Fastify();
    app.get('/v1/models/:name/assignment', async () => this.assignment);
    app.get<{ Params: { version: string } }>('/v1/models/:name/versions/:version/artifact', async (req, reply) => {
      const b = this.blobs.get(req.params.version);
      if (!b) return reply.code(404).send({ error: 'not found' });
      return reply.type('application/octet-stream').send(b);
    });
    await app.listen({ port: this.port, host: '127.0.0.1' });
    this.app = app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }
}
