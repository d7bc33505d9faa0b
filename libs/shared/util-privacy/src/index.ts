export { createTokenizer, normalizeIdentifier, tokenKeyId, IDENTIFIER_KINDS } from './lib/tokenizer';
export type { Tokenizer, TokenizerConfig, IdentifierKind } from './lib/tokenizer';
export { assertSameRegion, assertStoreRegion, RESIDENCY_VIOLATION } from './lib/residency.guard';
