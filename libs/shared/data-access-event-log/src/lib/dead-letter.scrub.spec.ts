import { ValidationError } from '@risk/util-errors';
import { REDACTED_INVALID, REDACTED_PAN, scrubForDeadLetter } from './dead-letter.scrub';

describe('scrubForDeadLetter', () => {
  it('blanks PAN-like values anywhere and the fields the validator rejected, keeping the rest', () => {
    const value = { type: 'checkout.started', payload: { checkoutId: '4111111111111111', subject: { emailToken: 'jane@example.com', merchantId: 'm_1' } } };
    const error = new ValidationError('event is invalid', [{ path: 'payload.subject.emailToken', message: 'must be a keyed token' }]);
    const out = scrubForDeadLetter(value, error) as typeof value;
    expect(out).toEqual({ type: 'checkout.started', payload: { checkoutId: REDACTED_PAN, subject: { emailToken: REDACTED_INVALID, merchantId: 'm_1' } } });
    expect(JSON.stringify(out)).not.toMatch(/4111|jane/);
    expect(value.payload.checkoutId).toBe('4111111111111111');
  });

  it('handles raw string payloads and errors without issues', () => {
    expect(scrubForDeadLetter('card 4111 1111 1111 1111', new Error('not json'))).toBe(REDACTED_PAN);
    expect(scrubForDeadLetter('not json at all', new Error('x'))).toBe('not json at all');
    expect(scrubForDeadLetter({ a: 1 }, new Error('x'))).toEqual({ a: 1 });
  });
});
