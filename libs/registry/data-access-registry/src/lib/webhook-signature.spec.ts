import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'registry.stage-changed', region: 'eu' });
  it('verifies its own signature and rejects tampering, wrong secret and stale timestamps', () => {
    const ts = 1_800_000_000;
    const sig = signWebhook('s3cret', ts, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', { signature: sig, timestamp: String(ts) }, body, ts + 10)).toBe(true);
    expect(verifyWebhook('s3cret', { signature: sig, timestamp: String(ts) }, body.replace('eu', 'us'), ts)).toBe(false);
    expect(verifyWebhook('other', { signature: sig, timestamp: String(ts) }, body, ts)).toBe(false);
    expect(verifyWebhook('s3cret', { signature: sig, timestamp: String(ts) }, body, ts + 3600)).toBe(false);
    expect(verifyWebhook('s3cret', { timestamp: String(ts) }, body, ts)).toBe(false);
  });
});
