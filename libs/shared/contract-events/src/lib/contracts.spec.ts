import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@risk/util-errors';
import { exampleCheckoutStarted, exampleLabelConfirmed, exampleScoringRequest } from './examples';
import { parseDecision, parseRiskEvent, parseScoringRequest } from './parsers';
import { containsPan } from './pan.guard';
import { PAN_DETECTED } from './validate';

function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('scoring request contract', () => {
  it('accepts the documented example, which equals the in-code example', () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '../../../../../docs/examples/decision-request.json'), 'utf8'));
    expect(parseScoringRequest(doc)).toEqual(exampleScoringRequest());
  });

  it('rejects unknown fields with their full path', () => {
    const req = { ...exampleScoringRequest(), shopper: { ...exampleScoringRequest().shopper, nickname: 'x' }, extra: 1 };
    const err = rejection(() => parseScoringRequest(req));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.issues.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ['shopper.nickname', 'unknown_field'],
        ['extra', 'unknown_field'],
      ]),
    );
  });

  it('rejects wrong types and formats per path', () => {
    const req: Record<string, unknown> = { ...exampleScoringRequest(), amount: { value: '12', currency: 'euro' }, region: 'mars' };
    const paths = rejection(() => parseScoringRequest(req)).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['amount.value', 'amount.currency', 'region']));
  });

  it('refuses a raw card number anywhere, without echoing it', () => {
    const pan = '4111 1111 1111 1111';
    const base = exampleScoringRequest();
    const card = { token: pan, bin: '41111111', country: 'DE', network: 'visa' };
    const req = { ...base, payment: { ...base.payment, card } };
    const err = rejection(() => parseScoringRequest(req));
    expect(err.code).toBe(PAN_DETECTED);
    expect(err.issues).toEqual([{ path: 'payment.card.token', message: expect.any(String), code: PAN_DETECTED }]);
    expect(JSON.stringify({ m: err.message, i: err.issues })).not.toContain('1111');
    // A PAN hidden in a free-text field is caught too, as is a numeric one.
    const inAddress = { ...base, shipping: { ...base.shipping, address: { ...base.shipping.address, line1: `card 5500-0000-0000-0004` } } };
    expect(rejection(() => parseScoringRequest(inAddress)).code).toBe(PAN_DETECTED);
    expect(rejection(() => parseScoringRequest({ ...base, items: { count: 4012888888881881 } })).code).toBe(PAN_DETECTED);
  });

  it('does not mistake BINs, phone numbers or non-Luhn digit runs for PANs', () => {
    expect(containsPan('41111111')).toBe(false);
    expect(containsPan('+49 30 1234567')).toBe(false);
    expect(containsPan('1234567890123')).toBe(false);
    expect(containsPan('4111111111111111')).toBe(true);
    expect(containsPan('pan: 4111-1111-1111-1111.')).toBe(true);
  });

  it('never flags UUIDs, even all-digit ones or ones with Luhn-valid digit runs', () => {
    expect(containsPan('c1481047-2615-41c0-9413-0a1b2c3d4e5f')).toBe(false);
    expect(containsPan('12345678-1234-1234-1234-123456789012')).toBe(false);
    for (let i = 0; i < 5000; i++) expect(containsPan(crypto.randomUUID())).toBe(false);
  });
});

describe('event contracts', () => {
  it('accepts valid events', () => {
    expect(parseRiskEvent(exampleCheckoutStarted()).type).toBe('checkout.started');
    const label = parseRiskEvent(exampleLabelConfirmed());
    expect(label.type === 'label.confirmed' && label.payload.original.occurredAt).toBe('2026-11-27T09:15:02.120Z');
  });

  it('rejects raw identifiers where a token is expected', () => {
    const ev = exampleCheckoutStarted();
    const bad = { ...ev, payload: { ...ev.payload, subject: { ...ev.payload.subject, emailToken: 'jane.doe@example.com' } } };
    const err = rejection(() => parseRiskEvent(bad));
    expect(err.issues.map((i) => i.path)).toEqual(['payload.subject.emailToken']);
  });

  it('rejects an unknown event type and a chargeback without its original transaction', () => {
    expect(rejection(() => parseRiskEvent({ ...exampleCheckoutStarted(), type: 'checkout.exploded' })).issues[0].path).toBe('type');
    const cb = {
      ...exampleLabelConfirmed(),
      type: 'chargeback.received',
      payload: { checkoutId: 'c1', subject: exampleLabelConfirmed().payload.subject, amount: { value: 1, currency: 'EUR' }, reasonCategory: 'fraud' },
    };
    expect(rejection(() => parseRiskEvent(cb)).issues.map((i) => i.path)).toContain('payload.original');
  });

  it('validates decisions', () => {
    const decision = {
      schemaVersion: '1',
      requestId: '9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      checkoutId: 'chk_1',
      region: 'eu',
      action: 'step_up',
      score: 0.12,
      reasonCodes: ['NEW_DEVICE'],
      stepUp: { method: '3ds' },
      modelVersion: 'checkout-gbdt@3',
      policyVersion: 'policy-2026-11-01',
      timings: { triageMs: 0.02, featuresMs: 0.4, modelMs: 0.05, policyMs: 0.01, totalMs: 0.6 },
      degraded: [],
    };
    expect(parseDecision(decision).action).toBe('step_up');
    expect(rejection(() => parseDecision({ ...decision, action: 'maybe' })).issues[0].path).toBe('action');
  });
});
