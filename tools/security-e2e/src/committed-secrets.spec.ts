import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './testing/processes';
import { scanText, type SecretHit } from './testing/secret-patterns';

const BINARY = /\.(png|jpe?g|gif|ico|wasm|onnx|bin|gz|zip|pdf|woff2?)$/i;

describe('secrets come only from config/env: nothing secret-looking is committed', () => {
  it('the scanner recognises planted secrets (positive control) and ignores marked demo values', () => {
    // assembled at run time so this file itself holds no matching literal
    const planted = [
      `${'-----BEGIN'} RSA PRIVATE KEY-----`,
      `const id = '${'AKIA'}${'Q'.repeat(16)}';`,
      `REGISTRY${'_TOKEN'}=${'a1B2c3D4'.repeat(4)}`,
      `TOKEN${'_KEYS'}: '${'9f'.repeat(20)}'`,
      `DATABASE_URL=postgresql://app:${'s3cr3tP4ss'}@db:5432/x`,
    ].join('\n');
    expect(scanText('apps/x/src/x.config.ts', planted).map((h) => h.rule)).toEqual([
      'private key block',
      'AWS access key id',
      'secret-looking literal assigned to REGISTRY_TOKEN',
      'secret-looking literal assigned to TOKEN_KEYS',
      'connection string with password',
    ]);
    expect(scanText('apps/x/src/x.ts', `REGISTRY${'_TOKEN'}=demo-service-scorer-0123456789abcdef`)).toEqual([]);
    expect(scanText('apps/x/src/x.e2e-spec.ts', `TOKEN${'_KEYS'}='${'9f'.repeat(20)}'`)).toEqual([]);
  });

  it('git ls-files holds no private key, cloud credential or long secret literal outside test fixtures / marked demo seeds', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const hits: SecretHit[] = [];
    let scanned = 0;
    for (const f of files) {
      if (BINARY.test(f) || f === 'package-lock.json') continue;
      const p = join(ROOT, f);
      let size = 0;
      try {
        size = statSync(p).size;
      } catch {
        continue; // deleted in the working tree
      }
      if (size > 2 * 1024 * 1024) continue;
      hits.push(...scanText(f, readFileSync(p, 'utf8')));
      scanned++;
    }
    expect(scanned).toBeGreaterThan(100);
    expect(hits).toEqual([]);
  });
});
