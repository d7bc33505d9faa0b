import { createHash, createHmac } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sha256Hex } from './token-hash';

/** Content-addressed artifact storage: the key IS the sha256 of the bytes, so stored objects are immutable. */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  /** Stores bytes whose sha256 the caller has verified; idempotent. Returns a URI for display/lineage. */
  put(sha256: string, data: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
}

const SHA = /^[0-9a-f]{64}$/;
function assertSha(sha256: string): void {
  if (!SHA.test(sha256)) throw new Error('invalid sha256 key');
}

export class LocalArtifactStore implements ArtifactStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private path(sha256: string): string {
    assertSha(sha256);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, data: Buffer): Promise<string> {
    if (sha256Hex(data) !== sha256) throw new Error('artifact bytes do not match key');
    const target = this.path(sha256);
    if (!(await this.has(sha256))) {
      await mkdir(dirname(target), { recursive: true });
      // Write-then-rename: readers never see a partial object.
      const tmp = `${target}.${randomUUID()}.tmp`;
      await writeFile(tmp, data, { flag: 'wx' });
      await rename(tmp, target);
    }
    return `file://${target}`;
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.path(sha256));
      return true;
    } catch {
      return false;
    }
  }
}

export interface S3ArtifactStoreOptions {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000 (MinIO); path-style addressing. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prefix?: string;
  timeoutMs?: number;
}

/**
 * S3-compatible adapter (AWS S3, MinIO, Ceph) using path-style requests signed with AWS Signature V4 over plain
 * fetch, so no SDK is needed. NOTE: no S3-compatible server is available on the build machine, so this adapter
 * is covered only by the SigV4 known-answer unit test, not by an integration test.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;
  constructor(private readonly o: S3ArtifactStoreOptions) {}

  private key(sha256: string): string {
    assertSha(sha256);
    return `${this.o.prefix ?? 'artifacts'}/sha256/${sha256}`;
  }

  async put(sha256: string, data: Buffer): Promise<string> {
    if (sha256Hex(data) !== sha256) throw new Error('artifact bytes do not match key');
    const res = await this.request('PUT', this.key(sha256), data);
    if (!res.ok) throw new Error(`S3 PUT failed with ${res.status}`);
    return `s3://${this.o.bucket}/${this.key(sha256)}`;
  }

  async get(sha256: string): Promise<Buffer | null> {
    const res = await this.request('GET', this.key(sha256));
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`S3 GET failed with ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async has(sha256: string): Promise<boolean> {
    const res = await this.request('HEAD', this.key(sha256));
    return res.ok;
  }

  private request(method: string, key: string, body?: Buffer): Promise<Response> {
    const url = new URL(`${this.o.endpoint.replace(/\/$/, '')}/${this.o.bucket}/${key}`);
    const headers = signV4({ method, url, body: body ?? Buffer.alloc(0), region: this.o.region, service: 's3', accessKeyId: this.o.accessKeyId, secretAccessKey: this.o.secretAccessKey, now: new Date() });
    return fetch(url, { method, headers, body: body ? new Uint8Array(body) : undefined, signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000) });
  }
}

export interface SignV4Input {
  method: string;
  url: URL;
  body: Buffer;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  now: Date;
  extraHeaders?: Record<string, string>;
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const encodePath = (p: string): string => p.split('/').map((s) => encodeURIComponent(s)).join('/');

/** AWS Signature Version 4 headers for one request (header-based auth, signed payload). */
export function signV4(i: SignV4Input): Record<string, string> {
  const amzDate = i.now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(i.body).digest('hex');
  const headers: Record<string, string> = { host: i.url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate, ...(i.extraHeaders ?? {}) };
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const query = [...i.url.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const canonical = [i.method, encodePath(i.url.pathname), query, names.map((n) => `${n}:${lower[n]}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${date}/${i.region}/${i.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${i.secretAccessKey}`, date), i.region), i.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const { host: _host, ...rest } = headers;
  return { ...rest, authorization: `AWS4-HMAC-SHA256 Credential=${i.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}
