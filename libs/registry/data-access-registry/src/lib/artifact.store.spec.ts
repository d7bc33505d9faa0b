import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore, signV4 } from './artifact.store';
import { sha256Hex } from './token-hash';

describe('LocalArtifactStore', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'artifacts-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores by content hash, is idempotent and refuses bytes that do not match the key', async () => {
    const store = new LocalArtifactStore(dir);
    const bytes = Buffer.from('model-weights-v1');
    const sha = sha256Hex(bytes);
    expect(await store.has(sha)).toBe(false);
    const uri = await store.put(sha, bytes);
    expect(uri).toContain(sha);
    expect(await store.put(sha, bytes)).toBe(uri);
    expect((await store.get(sha))?.equals(bytes)).toBe(true);
    await expect(store.put(sha, Buffer.from('tampered'))).rejects.toThrow(/do not match/);
    expect(await store.get('0'.repeat(64))).toBeNull();
    await expect(store.get('../etc/passwd')).rejects.toThrow(/invalid sha256/);
  });
});

describe('signV4', () => {
  // Known answer from the AWS S3 SigV4 documentation ("GET Object" example, examplebucket/test.txt).
  it('matches the AWS documented example signature', () => {
    const h = signV4({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      body: Buffer.alloc(0),
      region: 'us-east-1',
      service: 's3',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      now: new Date('2013-05-24T00:00:00Z'),
      extraHeaders: { range: 'bytes=0-9' },
    });
    expect(h['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});
