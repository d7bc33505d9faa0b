import type { Region, RiskEvent, ScoringRequest } from '@risk/contract-events';

export const FRAUD_SCENARIOS = ['stolen_card', 'account_takeover', 'card_testing', 'compromised_merchant', 'friendly_fraud'] as const;
export type FraudScenario = (typeof FRAUD_SCENARIOS)[number];

export interface PeakShape {
  /** Minutes since the simulation start at which the ramp begins. */
  startMinute: number;
  rampUpMinutes: number;
  holdMinutes: number;
  rampDownMinutes: number;
  /** Traffic multiplier over the diurnal baseline at the top of the peak. */
  multiplier: number;
}

export interface MarketplaceSimulationOptions {
  seed: number;
  /** ISO date (YYYY-MM-DD), UTC midnight. */
  startDate: string;
  days: number;
  shoppers: number;
  /** Production has ~3.5M sellers; simulations use a scaled-down population with the same skew. */
  merchants: number;
  /** Mean checkouts per shopper per day (log-normal across shoppers). */
  checkoutsPerShopperPerDay: number;
  /** Peak event; omitted for no peak. */
  peak?: PeakShape;
  /** Diurnal swing: rate = 1 + amplitude * cos(2π (hour − 20) / 24). */
  diurnalAmplitude: number;
  /** Attack sessions started per legitimate checkout, per scenario. */
  attackRates: Readonly<Record<Exclude<FraudScenario, 'compromised_merchant' | 'friendly_fraud'>, number>>;
  /** Share of legitimate-looking checkouts later disputed by their own cardholder. */
  friendlyFraudRate: number;
  /** Expected compromised merchants per day, and fraudulent orders per day at each while compromised. */
  compromisedMerchantsPerDay: number;
  compromisedMerchantOrdersPerDay: number;
  /** Share of frauds whose chargeback never arrives. */
  neverReportedShare: number;
  /** Chargeback delay bounds in days (log-normal between them, skewed to the left). */
  chargebackMinDays: number;
  chargebackMaxDays: number;
  chargebackMedianDays: number;
  /** Legitimate checkouts get a `maturity` label this many days later (only if that is within the simulated period). */
  maturityDays: number;
  /** Emit decision.made events from the simulated legacy rules (step-up, review, decline). */
  emitDecisions: boolean;
  /** Key the simulator tokenises identifiers with (same key => same tokens as a scorer configured with it). */
  tokenKey: string;
  tokenKeyId: string;
}

/** What the simulator knows about a checkout and a real system would not. */
export interface CheckoutTruth {
  checkoutId: string;
  occurredAt: string;
  region: Region;
  isFraud: boolean;
  scenario: FraudScenario | null;
}

export interface ScoringSample {
  request: ScoringRequest;
  truth: CheckoutTruth;
}

/** One item of the simulated stream, in time order: a checkout as it arrives (request + truth), or an event. */
export type MarketplaceItem = { kind: 'checkout'; timeMs: number; sample: ScoringSample } | { kind: 'event'; timeMs: number; event: RiskEvent };
