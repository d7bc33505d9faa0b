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
