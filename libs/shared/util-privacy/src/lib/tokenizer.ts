import { createHmac } from 'node:crypto';
import { ValidationError } from '@risk/util-errors';

export const IDENTIFIER_KINDS = ['email', 'phone', 'ip', 'device', 'address', 'card', 'account'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface TokenizerConfig {
  region: string;
  /** keyId → secret. Key ids are short lowercase alphanumerics and appear in every token. */
  keys: Record<string, string>;
  /** The key new tokens are minted with; the others stay readable during rotation. */
  activeKeyId: string;
}

export interface Tokenizer {
  readonly region: string;
  readonly activeKeyId: string;
  tokenize(kind: IdentifierKind, value: string): string;
  /** Tokens of the same value under every configured key, to match history minted before a rotation. */
  tokenizeAllKeys(kind: IdentifierKind, value: string): string[];
}

const KEY_ID = /^[a-z0-9]{1,16}$/;

/** Equal identifiers must tokenise equally, whatever their spelling. */
export function normalizeIdentifier(kind: IdentifierKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'email':
      return v.toLowerCase();
    case 'phone':
      return v.replace(/[^0-9+]/g, '');
    case 'ip':
    case 'device':
      return v.toLowerCase();
    case 'address':
      return v.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    default:
      return v;
  }
}

/**
 * Keyed tokens: HMAC-SHA256 with a per-region secret, truncated to 128 bits, base64url. The kind is part of the
 * MAC input so an email and a device id with the same text never collide. Without the key a token cannot be
 * reversed or linked across regions.
 */
export function createTokenizer(config: TokenizerConfig): Tokenizer {
  const ids = Object.keys(config.keys);
  if (!ids.length) throw new ValidationError('tokenizer needs at least one key', [], 'TOKENIZER_NO_KEYS');
  for (const id of ids) {
    if (!KEY_ID.test(id)) throw new ValidationError(`invalid key id "${id}"`, [], 'TOKENIZER_BAD_KEY_ID');
    if ((config.keys[id] ?? '').length < 16) throw new ValidationError(`key "${id}" is shorter than 16 characters`, [], 'TOKENIZER_WEAK_KEY');
  }
  if (!config.keys[config.activeKeyId]) throw new ValidationError(`active key "${config.activeKeyId}" is not configured`, [], 'TOKENIZER_NO_ACTIVE_KEY');

  const mint = (keyId: string, kind: IdentifierKind, value: string): string => {
    const mac = createHmac('sha256', `${config.region}:${config.keys[keyId]}`)
      .update(`${kind}\u0000${normalizeIdentifier(kind, value)}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    return `tok_${keyId}_${mac}`;
  };

  return {
    region: config.region,
    activeKeyId: config.activeKeyId,
    tokenize: (kind, value) => mint(config.activeKeyId, kind, value),
    tokenizeAllKeys: (kind, value) => ids.map((id) => mint(id, kind, value)),
  };
}

/** Key id a token was minted with, so stores can tell which tokens a rotation still has to re-key. */
export function tokenKeyId(token: string): string | undefined {
  return /^tok_([a-z0-9]{1,16})_/.exec(token)?.[1];
}
