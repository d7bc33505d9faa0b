/** Raw transaction format of the Fraud Detection Handbook benchmark (one CSV row). */
export interface HandbookTransaction {
  transactionId: number;
  /** "YYYY-MM-DD HH:MM:SS", naive (no zone). */
  txDatetime: string;
  customerId: number;
  terminalId: number;
  txAmount: number;
  txTimeSeconds: number;
  txTimeDays: number;
  txFraud: 0 | 1;
  txFraudScenario: 0 | 1 | 2 | 3;
}

export interface HandbookSimulationOptions {
  customers: number;
  terminals: number;
  days: number;
  /** "YYYY-MM-DD"; day 0 starts at its midnight. */
  startDate: string;
  seed: number;
  /** Customers use terminals strictly within this distance. */
  radius: number;
  /** Scenario 1: any amount strictly above this is fraud. */
  amountThreshold: number;
  /** Scenario 2: terminals compromised each day, and for how many days. */
  compromisedTerminalsPerDay: number;
  terminalCompromiseDays: number;
  /** Scenario 3: customers compromised each day, for how many days, and the amount multiplier. */
  compromisedCustomersPerDay: number;
  customerCompromiseDays: number;
  customerCompromiseMultiplier: number;
}

export interface HandbookCustomerProfile {
  customerId: number;
  x: number;
  y: number;
  meanAmount: number;
  stdAmount: number;
  meanNbTxPerDay: number;
}

export interface HandbookTerminalProfile {
  terminalId: number;
  x: number;
  y: number;
}

export interface HandbookCompromise {
  day: number;
  id: number;
}

/** Column-oriented store of a simulated dataset; row i is transaction i, in datetime order. */
export interface HandbookColumns {
  customerId: Int32Array;
  terminalId: Int32Array;
  amountCents: Int32Array;
  timeSeconds: Int32Array;
  fraud: Uint8Array;
  scenario: Uint8Array;
}

export interface HandbookSummary {
  rows: number;
  frauds: number;
  fraudRate: number;
  scenarioCounts: Record<1 | 2 | 3, number>;
  /** Share of each scenario among frauds. */
  scenarioShares: Record<1 | 2 | 3, number>;
  fraudsPerDay: number;
  compromisedCardsPerDay: number;
  /** Same figures once scenario 2 has reached steady state (after its compromise window). */
  fraudsPerDaySteady: number;
  compromisedCardsPerDaySteady: number;
}
