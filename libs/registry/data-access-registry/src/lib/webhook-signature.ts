import { createHmac } from 'node:crypto';
import { safeEqualHex } from './token-hash';

export const SIGNATURE_HEADER = 'x-registry-signature';
export const TIMESTAMP_HEADER = 'x-registry-timestamp';
export const EVENT_ID_HEADER = 'x-registry-event-id';

/** `sha256=<hex HMAC-SHA256(secret, "<unix-seconds>.<body>")>`; the timestamp stops replays of old deliveries. */
export function signWebhook(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** For receivers (scorer, controller): verifies signature and freshness. */
export function verifyWebhook(secret: string, headers: { signature?: string; timestamp?: string }, body: string, nowSec = Math.floor(Date.now() / 1000), toleranceSec = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature?.startsWith('sha256=') || !Number.isFinite(ts) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = signWebhook(secret, ts, body).slice(7);
  return safeEqualHex(headers.signature.slice(7), expected);
}
