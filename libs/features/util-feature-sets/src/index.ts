export {
  handbookFeatureSet,
  handbookCustomer,
  handbookTerminal,
  HANDBOOK_TX,
  HANDBOOK_LABEL,
  HANDBOOK_LABEL_DELAY,
} from './lib/handbook.feature-set';
export type { HandbookFeatureSet, HandbookVector } from './lib/handbook.feature-set';
export {
  HANDBOOK_RAW_COLUMNS,
  handbookColumnIndex,
  parseHandbookDatetime,
  parseHandbookRow,
  handbookTransactionEvent,
  handbookLabelEvent,
} from './lib/handbook-raw';
export type { HandbookRawRow, HandbookColumnIndex } from './lib/handbook-raw';
export { HandbookReplay } from './lib/handbook-replay';
export type { HandbookRowSink } from './lib/handbook-replay';
export { formatFeatureRow, formatFeatureValue } from './lib/feature-csv';
export {
  checkoutFeatureSet,
  CHECKOUT_EVENT,
  CHECKOUT_LATENESS,
  CHECKOUT_LABEL_DELAY,
  account,
  card,
  device,
  ip,
  email,
  address,
  merchant,
  paymentMethod,
  bin,
} from './lib/checkout.feature-set';
export type { CheckoutFeatureSet, CheckoutVector } from './lib/checkout.feature-set';
export { toFeatureEvents, checkoutStartedToFeatureEvent, subjectEntities, checkoutEventId } from './lib/checkout-events.adapter';
