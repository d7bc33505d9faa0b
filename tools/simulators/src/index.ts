export { Prng } from './lib/random/prng';
export { HANDBOOK_DEFAULTS, HandbookDataset, simulateHandbook } from './lib/handbook/handbook-simulator';
export { HANDBOOK_CSV_HEADER, formatCents, handbookCsvChunks, writeHandbookCsv } from './lib/handbook/handbook-csv';
export type {
  HandbookColumns,
  HandbookCompromise,
  HandbookCustomerProfile,
  HandbookSimulationOptions,
  HandbookSummary,
  HandbookTerminalProfile,
  HandbookTransaction,
} from './lib/handbook/handbook.types';
export {
  MARKETPLACE_DEFAULTS,
  MarketplaceSimulator,
  defaultPeak,
  diurnalFactor,
  peakFactor,
} from './lib/marketplace/marketplace-simulator';
export { MarketplaceStats, marketplaceEvents, scoringRequests, writeMarketplaceJsonl } from './lib/marketplace/marketplace-output';
export type { WriteMarketplaceOptions } from './lib/marketplace/marketplace-output';
export { FRAUD_SCENARIOS } from './lib/marketplace/marketplace.types';
export type {
  CheckoutTruth,
  FraudScenario,
  MarketplaceItem,
  MarketplaceSimulationOptions,
  PeakShape,
  ScoringSample,
} from './lib/marketplace/marketplace.types';
export { COUNTRIES, MCCS, buildPaymentMethods } from './lib/marketplace/marketplace.catalog';
export type { CountryDef, MccDef, PaymentMethodDef, PaymentType } from './lib/marketplace/marketplace.catalog';
