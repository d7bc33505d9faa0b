import { exampleScoringRequest } from '@risk/contract-events';
import { tokenizeAtEdge } from '../edge/edge-tokenize';
import { createTokenizer } from '@risk/util-privacy';
import { requestFeatures } from '../model/request-features';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { parsePolicyConfig } from '../policy/policy.schema';
import { Triage } from './triage';
import { VelocityCounter } from './velocity-counter';

const tokenizer = createTokenizer({ region: 'eu', keys: { k1: 'secret-1-0123456789abcdef' }, activeKeyId: 'k1' });

describe('Triage', () => {
  const r = exampleScoringRequest();
  const edge = tokenizeAtEdge(r, tokenizer);
  const rt = requestFeatures(r);

  it('passes a clean request to the model stage', () => {
    expect(new Triage(parsePolicyConfig(DEFAULT_POLICY)).run(edge, rt, 0)).toEqual({ reasonCodes: [] });
  });

  it('blocks by email token, BIN and merchant; allows by token', () => {
    const cfg = (lists: object) => parsePolicyConfig({ ...DEFAULT_POLICY, lists: { ...DEFAULT_POLICY.lists, ...lists } });
    expect(new Triage(cfg({ blockTokens: [edge.tokens.email] })).run(edge, rt, 0)).toMatchObject({ action: 'decline', reasonCodes: ['BLOCKLIST_IDENTITY'] });
    expect(new Triage(cfg({ blockBins: ['41111111'] })).run(edge, rt, 0)).toMatchObject({ action: 'decline', reasonCodes: ['BLOCKLIST_BIN'] });
    expect(new Triage(cfg({ blockMerchants: ['m_48213'] })).run(edge, rt, 0)).toMatchObject({ reasonCodes: ['BLOCKLIST_MERCHANT'] });
    expect(new Triage(cfg({ allowTokens: [edge.tokens.device] })).run(edge, rt, 0)).toMatchObject({ action: 'allow' });
  });

  it('trips the card velocity limit on a burst', () => {
    const t = new Triage(parsePolicyConfig(DEFAULT_POLICY));
    const out = Array.from({ length: 10 }, (_, i) => t.run(edge, rt, 1000 + i));
    expect(out.slice(0, 8).every((o) => o.action === undefined)).toBe(true);
    expect(out[9]).toMatchObject({ action: 'decline', reasonCodes: ['VELOCITY_CARD_1M'] });
  });

  it('applies hard rules', () => {
    const big = { ...r, amount: { value: 60_000, currency: 'EUR' }, shopper: { ...r.shopper, isGuest: true } };
    expect(new Triage(parsePolicyConfig(DEFAULT_POLICY)).run(tokenizeAtEdge(big, tokenizer), requestFeatures(big), 0)).toMatchObject({ action: 'decline', reasonCodes: ['HARD_AMOUNT_LIMIT'] });
  });
});

describe('VelocityCounter', () => {
  it('slides: the previous window decays linearly and old windows are forgotten', () => {
    const c = new VelocityCounter(1000, 10);
    for (let i = 0; i < 10; i++) c.hit('a', 100 + i);
    expect(c.hit('a', 1500)).toBeCloseTo(1 + 10 * 0.5, 5);
    expect(c.hit('a', 5000)).toBe(1);
  });
  it('bounds memory', () => {
    const c = new VelocityCounter(1000, 10);
    for (let i = 0; i < 100; i++) c.hit(`k${i}`, 0);
    expect(c.size).toBe(10);
  });
});

describe('tokenizeAtEdge', () => {
  const r = exampleScoringRequest();
  it('keeps no raw identifier and produces contract tokens', () => {
    const e = tokenizeAtEdge(r, tokenizer);
    const json = JSON.stringify(e.tokens);
    for (const raw of [r.shopper.email, r.device.ip, r.device.id, r.shopper.accountId, r.shipping.address.line1]) expect(json).not.toContain(raw);
    for (const t of Object.values(e.tokens)) expect(t).toMatch(/^tok_[a-z0-9]{1,16}_[A-Za-z0-9_-]{16,64}$/);
    expect(tokenizeAtEdge({ ...r, shopper: { ...r.shopper, email: ' JANE.DOE@example.com ' } }, tokenizer).tokens.email).toBe(e.tokens.email);
  });
});
