import { createHmac } from 'node:crypto';
import type { PiiKind, Tokenizer } from '../decision.ports';

export interface HmacTokenizerOptions {
  region: string;
  keys: Record<string, string>;
  activeKeyId: string;
}

/**
 * Keyed HMAC-SHA256 tokens `tok_<keyId>_<digest>`, domain-separated by region and kind. Stand-in port adapter
 * until @risk/util-privacy lands; same token shape, so it can be swapped without touching callers.
 */
export function createHmacTokenizer(opts: HmacTokenizerOptions): Tokenizer {
  const secret = opts.keys[opts.activeKeyId];
  if (!secret || !/^[a-z0-9]{1,16}$/.test(opts.activeKeyId)) throw new Error('tokenizer: active key missing or key id invalid');
  const prefix = `tok_${opts.activeKeyId}_`;
  return {
    tokenize(kind: PiiKind, value: string): string {
      const digest = createHmac('sha256', secret).update(`${opts.region}\u0000${kind}\u0000${value}`).digest('base64url').slice(0, 27);
      return prefix + digest;
    },
  };
}
