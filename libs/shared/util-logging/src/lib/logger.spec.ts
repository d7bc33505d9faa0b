import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('redacts secrets and PII at any nesting depth', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger({ name: 't', destination: sink });
    log.info({ email: 'a@b.c', req: { headers: { authorization: 'Bearer s3cr3t' } }, body: { shopper: { phone: '+4470000' } }, ok: 1 }, 'x');
    const out = lines.join('');
    expect(out).not.toContain('a@b.c');
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('+4470000');
    expect(JSON.parse(out).ok).toBe(1);
    // The logger's own name is not personal data and must survive redaction.
    expect(JSON.parse(out).name).toBe('t');
  });
});
