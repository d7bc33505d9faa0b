import type { ScoringRequest, Subject } from '@risk/contract-events';
import type { EdgeRequest, Tokenizer } from '../decision.ports';

const normEmail = (e: string): string => e.trim().toLowerCase();
const normPhone = (p: string): string => p.replace(/[^0-9+]/g, '');
const normAddress = (a: ScoringRequest['shipping']['address']): string =>
  [a.line1, a.postalCode, a.city, a.country].map((s) => s.trim().toLowerCase().replace(/\s+/g, ' ')).join('|');

/** Replaces every personal identifier by a keyed token before the request goes anywhere else. */
export function tokenizeAtEdge(request: ScoringRequest, tokenizer: Tokenizer): EdgeRequest {
  return {
    request,
    tokens: {
      account: tokenizer.tokenize('account', request.shopper.accountId),
      email: tokenizer.tokenize('email', normEmail(request.shopper.email)),
      ...(request.shopper.phone ? { phone: tokenizer.tokenize('phone', normPhone(request.shopper.phone)) } : {}),
      ip: tokenizer.tokenize('ip', request.device.ip),
      device: tokenizer.tokenize('device', request.device.id),
      address: tokenizer.tokenize('address', normAddress(request.shipping.address)),
      ...(request.payment.card ? { card: request.payment.card.token } : {}),
    },
  };
}

export function subjectOf(edge: EdgeRequest): Subject {
  const r = edge.request;
  return {
    accountToken: edge.tokens.account,
    ...(edge.tokens.card ? { cardToken: edge.tokens.card } : {}),
    deviceToken: edge.tokens.device,
    ipToken: edge.tokens.ip,
    emailToken: edge.tokens.email,
    addressToken: edge.tokens.address,
    merchantId: r.merchant.id,
    paymentMethodId: r.payment.methodId,
    ...(r.payment.card ? { bin: r.payment.card.bin } : {}),
  };
}
