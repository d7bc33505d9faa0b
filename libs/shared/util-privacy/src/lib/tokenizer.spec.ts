import { TOKEN_PATTERN } from '@risk/contract-events';
import { ForbiddenError, ValidationError } from '@risk/util-errors';
import { assertSameRegion, assertStoreRegion } from './residency.guard';
import { createTokenizer, tokenKeyId } from './tokenizer';

const keys = { k1: 'eu-secret-000000000001', k2: 'eu-secret-000000000002' };

describe('tokenizer', () => {
  it('mints contract-valid tokens that never contain the input', () => {
    const t = createTokenizer({ region: 'eu', keys, activeKeyId: 'k2' });
    const tok = t.tokenize('email', 'Jane.Doe@Example.com');
    expect(tok).toMatch(TOKEN_PATTERN);
    expect(tok.toLowerCase()).not.toContain('jane');
    expect(tokenKeyId(tok)).toBe('k2');
  });

  it('is deterministic per normalised value, kind-separated, region-separated', () => {
    const eu = createTokenizer({ region: 'eu', keys, activeKeyId: 'k1' });
    const us = createTokenizer({ region: 'us', keys, activeKeyId: 'k1' });
    expect(eu.tokenize('email', ' JANE@x.com')).toBe(eu.tokenize('email', 'jane@x.com'));
    expect(eu.tokenize('phone', '+49 (30) 123-4567')).toBe(eu.tokenize('phone', '+49301234567'));
    expect(eu.tokenize('device', 'abc')).not.toBe(eu.tokenize('ip', 'abc'));
    expect(eu.tokenize('email', 'jane@x.com')).not.toBe(us.tokenize('email', 'jane@x.com'));
  });

  it('rotates: old tokens stay matchable through tokenizeAllKeys', () => {
    const before = createTokenizer({ region: 'eu', keys: { k1: keys.k1 }, activeKeyId: 'k1' }).tokenize('device', 'd-1');
    const after = createTokenizer({ region: 'eu', keys, activeKeyId: 'k2' });
    expect(after.tokenize('device', 'd-1')).not.toBe(before);
    expect(after.tokenizeAllKeys('device', 'd-1')).toContain(before);
  });

  it('refuses weak or missing keys', () => {
    expect(() => createTokenizer({ region: 'eu', keys: { k1: 'short' }, activeKeyId: 'k1' })).toThrow(ValidationError);
    expect(() => createTokenizer({ region: 'eu', keys, activeKeyId: 'k9' })).toThrow(/active key/);
    expect(() => createTokenizer({ region: 'eu', keys: { 'BAD ID': keys.k1 }, activeKeyId: 'BAD ID' })).toThrow(/key id/);
  });
});

describe('residency guards', () => {
  it('refuses cross-region records and stores', () => {
    expect(() => assertSameRegion('eu', 'eu', 'event')).not.toThrow();
    expect(() => assertSameRegion('eu', 'us', 'event')).toThrow(ForbiddenError);
    expect(() => assertStoreRegion('eu', { name: 'redis', region: 'apac' })).toThrow(/RESIDENCY|region/);
  });
});
