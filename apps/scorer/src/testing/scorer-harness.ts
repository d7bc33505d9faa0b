import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleScoringRequest, type DecisionMadeEvent, type ScoringRequest } from '@risk/contract-events';
import { DEFAULT_POLICY, parsePolicyConfig, tokenizeAtEdge, type PolicyConfig } from '@risk/decision';
import { createLogger } from '@risk/util-logging';
import { createTokenizer } from '@risk/util-privacy';
import type Redis from 'ioredis';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { OnlineFeatureStore } from '@risk/online-store';
import { checkoutFeatureRequest } from '@risk/online-store';
import { loadScorerConfig } from '../scorer.config';
import { createScorerApp } from '../scorer.app';
import type { ScorerRuntime } from '../scorer.runtime';

export const TEST_TOKEN_KEYS = 'e2e=e2e-secret-0123456789abcdef';

export interface ScorerHandle {
  url: string;
  runtime: ScorerRuntime;
  events: DecisionMadeEvent[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; ms: number }>;
  close(): Promise<void>;
}

/** Boots the real scorer (Nest + Fastify + adapters) on an ephemeral port; decision events are captured in memory. */
/** The default policy without per-instance velocity limits: tests replay one card many times on purpose. */
export const E2E_POLICY: PolicyConfig = parsePolicyConfig({ ...DEFAULT_POLICY, velocity: [] });

export async function startScorer(env: Record<string, string>, policy: PolicyConfig = E2E_POLICY): Promise<ScorerHandle> {
  const config = loadScorerConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TOKEN_KEYS: TEST_TOKEN_KEYS,
    MODEL_REFRESH_MS: '0',
    MODEL_CACHE_DIR: mkdtempSync(join(tmpdir(), 'scorer-lkg-')),
    DECISION_LOG: 'none',
    REGISTRY_TOKEN: 'demo-service-scorer',
    ...env,
  });
  const events: DecisionMadeEvent[] = [];
  const { app, runtime } = await createScorerApp(config, createLogger({ name: 'scorer-e2e', level: 'silent' }), { publisher: { publish: (e) => void events.push(e) }, policy });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    runtime,
    events,
    async post(body, headers = { 'content-type': 'application/json' }) {
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/decisions`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      return { status: res.status, body: json, ms: performance.now() - t0 };
    },
    close: () => app.close(),
  };
}

export function requestFor(i: number, patch: Partial<ScoringRequest> = {}): ScoringRequest {
  return { ...exampleScoringRequest(), checkoutId: `chk_e2e_${i}`, ...patch };
}

/**
 * Writes real online state with @risk/online-store: `priorCheckouts` earlier checkouts of the same shopper/card,
 * applied by the engine, keyed exactly as the scorer will read them.
 */
export async function seedFeatures(redis: Redis, prefix: string, priorCheckouts = 1, request = exampleScoringRequest()): Promise<void> {
  const tokenizer = createTokenizer({ region: request.region, keys: { e2e: 'e2e-secret-0123456789abcdef' }, activeKeyId: 'e2e' });
  const store = new OnlineFeatureStore({ redis, set: checkoutFeatureSet, keyPrefix: prefix, region: request.region });
  const at = Date.parse(request.occurredAt) - 60_000;
  const events = Array.from({ length: priorCheckouts }, (_, i) =>
    checkoutFeatureRequest(tokenizeAtEdge({ ...request, checkoutId: `chk_seed_${i}`, occurredAt: new Date(at + i).toISOString() }, tokenizer)),
  );
  await store.apply(events);
}
