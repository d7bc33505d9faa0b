import { randomUUID } from 'node:crypto';
import type { DecisionMadeEvent } from '@risk/contract-events';

export interface FixtureDecision {
  arm: 'production' | 'canary';
  action?: 'allow' | 'decline' | 'step_up' | 'review';
  region?: 'eu' | 'us' | 'apac';
  paymentMethodId?: string;
  score?: number;
  totalMs?: number;
  degraded?: boolean;
  at?: Date;
  checkoutId?: string;
  shadow?: { modelVersion: string; score: number; action: 'allow' | 'decline' | 'step_up' | 'review' }[];
}

/** A contract-shaped decision.made event (only the fields the controller reads vary). */
export function decisionEvent(d: FixtureDecision): DecisionMadeEvent {
  return {
    eventId: randomUUID(),
    schemaVersion: 1,
    type: 'decision.made',
    occurredAt: (d.at ?? new Date()).toISOString(),
    region: d.region ?? 'eu',
    payload: {
      requestId: randomUUID(),
      checkoutId: d.checkoutId ?? `chk_${randomUUID()}`,
      subject: { accountToken: 'tok_t_AAAAAAAAAAAAAAAAAAAA', merchantId: 'm_1', paymentMethodId: d.paymentMethodId ?? 'pm_card_eu' },
      action: d.action ?? 'allow',
      score: d.score ?? 0.1,
      reasonCodes: [],
      modelVersion: d.arm,
      policyVersion: 'p1',
      featureSet: { name: 'checkout', version: '1' },
      features: {},
      timings: { totalMs: d.totalMs ?? 2 },
      degraded: d.degraded ? [{ stage: 'features', reason: 'features_timeout' }] : [],
      arm: d.arm,
      ...(d.shadow ? { shadow: d.shadow } : {}),
    },
  };
}
