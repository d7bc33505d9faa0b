import type { FeatureSet } from '@risk/feature-engine';

/**
 * Key layout: `<prefix>:<region>:<set>:v<version>:{<entity>:<token>}` for the packed state blob and
 * `<same key>:ev:<eventId>` for the idempotency record of one event on that entity. The `{…}` hash tag puts an
 * entity's blob and its idempotency records on one Redis Cluster slot, so the Lua apply script touches one slot.
 * Entities of one request (account, card, merchant, …) are shared with other requests, so they cannot share a slot;
 * the reader groups them per slot and fetches all slots in parallel (one MGET per slot, one pipeline).
 */
export function stateKey(prefix: string, region: string, set: FeatureSet, entityName: string, token: string): string {
  return `${prefix}:${region}:${set.name}:v${set.version}:{${entityName}:${token}}`;
}

export function idempotencyKey(stateKeyValue: string, eventId: string): string {
  return `${stateKeyValue}:ev:${eventId}`;
}

// CRC16-CCITT (XMODEM), as Redis Cluster uses for HASH_SLOT.
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ bytes[i]) & 0xff];
  return crc;
}

/** Redis Cluster slot of a key (hash tag rules: the first non-empty `{…}`). */
export function clusterSlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key, 'utf8')) % 16384;
}
