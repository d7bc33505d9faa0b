import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { dropSchema } from '@risk/registry-data';
import { createLogger } from '@risk/util-logging';
import { loadRegistryConfig } from '../src/registry.config';
import { createRegistryApp, type RegistryApp } from '../src/registry.app';

/** From the environment via the app's own config schema (defaults to the local test database). */
export const DATABASE_URL = loadRegistryConfig().DATABASE_URL;

/** One token per role/person for tests; seeded through REGISTRY_TOKENS exactly like production config. */
export const T = {
  rita: 'test-rm-rita-0123456789',
  rob: 'test-rm-rob-0123456789',
  mia: 'test-mle-mia-0123456789',
  victor: 'test-viewer-victor-0123',
  scorer: 'test-svc-scorer-0123456',
  controller: 'test-svc-controller-0123',
  trainer: 'test-svc-trainer-0123456',
};
const TOKENS = `rita:release-manager:${T.rita},rob:release-manager:${T.rob},mia:ml-engineer:${T.mia},victor:viewer:${T.victor},scorer:scorer:${T.scorer},controller:controller:${T.controller},trainer:trainer:${T.trainer}`;

export interface Harness {
  reg: RegistryApp;
  baseUrl: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted structurally in tests
  call<R = any>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: R }>;
  close(): Promise<void>;
}

/** Boots the real registry on a random port against a fresh PostgreSQL schema (dropped on close). */
export async function startRegistry(name: string, extraEnv: Record<string, string> = {}): Promise<Harness> {
  const schema = `reg_${name}_${process.pid}_${Date.now().toString(36)}`;
  const artifactDir = await mkdtemp(join(tmpdir(), 'reg-art-'));
  const cfg = loadRegistryConfig({
    DATABASE_URL,
    DB_SCHEMA: schema,
    ARTIFACT_DIR: artifactDir,
    REGISTRY_TOKENS: TOKENS,
    OUTBOX_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '12',
    ...extraEnv,
  });
  const reg = await createRegistryApp(cfg, createLogger({ name: 'registry-test', level: 'warn' }));
  await reg.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (reg.app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    reg,
    baseUrl,
    schema,
    async call(method, path, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers['authorization'] = `Bearer ${token}`;
      let payload: BodyInit | undefined;
      if (Buffer.isBuffer(body)) {
        headers['content-type'] = 'application/octet-stream';
        payload = new Uint8Array(body);
      } else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(20_000) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* non-JSON (HTML, bytes) */
      }
      return { status: res.status, body: parsed as never };
    },
    async close() {
      try {
        await reg.close();
      } finally {
        await dropSchema(DATABASE_URL, schema);
        await rm(artifactDir, { recursive: true, force: true });
      }
    },
  };
}

export function artifactFor(label: string): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(`weights:${label}:${'x'.repeat(200)}`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function versionBody(sha256: string, size: number, metrics: unknown) {
  return {
    artifactSha256: sha256,
    artifactSizeBytes: size,
    metrics,
    lineage: {
      trainingJobId: 'job-1',
      dataWindowStart: '2026-09-01T00:00:00Z',
      dataWindowEnd: '2026-11-01T00:00:00Z',
      featureSetName: 'checkout-core',
      featureSetVersion: '4',
      codeCommit: 'abc1234',
    },
    policyVersion: 'policy-2026.11',
  };
}
