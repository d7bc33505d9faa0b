import { DAY, HOUR, defineEntity, defineFeatureSet, defineWindowedView, requestFeature, windowFeature } from '@risk/feature-engine';
import type { EngineEvent, FeatureVector } from '@risk/feature-engine';

export const HANDBOOK_TX = 'handbook.transaction';
export const HANDBOOK_LABEL = 'handbook.label';
/** Labels become known a week after the transaction (the spec's delay d). */
export const HANDBOOK_LABEL_DELAY = 7 * DAY;

export const handbookCustomer = defineEntity({ name: 'customer', keyField: 'CUSTOMER_ID', description: 'card holder (simulator id, already a token)' });
export const handbookTerminal = defineEntity({ name: 'terminal', keyField: 'TERMINAL_ID', description: 'payment terminal (simulator id)' });

const amount = (e: EngineEvent): number => e.values['amount'] as number;

// Resolution 1 s: handbook times are whole seconds, so the windows are the exact sliding windows of the spec.
// Lateness only matters online (the batch is time-ordered): an hour of slack for the event log.
const customerTx = defineWindowedView({
  name: 'customer_tx',
  entity: handbookCustomer,
  events: [HANDBOOK_TX],
  value: amount,
  resolution: 1000,
  includeCurrent: true,
  lateness: HOUR,
});

const terminalTx = defineWindowedView({
  name: 'terminal_tx_delayed',
  entity: handbookTerminal,
  events: [HANDBOOK_TX],
  labels: { events: [HANDBOOK_LABEL], value: (e) => (e.values['fraud'] ? 1 : 0) },
  labelDelay: HANDBOOK_LABEL_DELAY,
  resolution: 1000,
  lateness: HOUR,
});

const weekday = (time: number): number => (Math.floor(time / DAY) + 3) % 7; // 1970-01-01 was a Thursday; Monday = 0
const hourOfDay = (time: number): number => Math.floor((((time % DAY) + DAY) % DAY) / HOUR);

export const handbookFeatureSet = defineFeatureSet({
  name: 'handbook',
  version: 1,
  features: [
    requestFeature('TX_AMOUNT', { dtype: 'float32', compute: amount }),
    requestFeature('TX_DURING_WEEKEND', { dtype: 'bool', compute: (r) => weekday(r.time) >= 5 }),
    requestFeature('TX_DURING_NIGHT', { dtype: 'bool', compute: (r) => hourOfDay(r.time) <= 6 }),
    windowFeature('CUSTOMER_ID_NB_TX_1DAY_WINDOW', customerTx, { agg: 'count', window: DAY }),
    windowFeature('CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW', customerTx, { agg: 'avg', window: DAY }),
    windowFeature('CUSTOMER_ID_NB_TX_7DAY_WINDOW', customerTx, { agg: 'count', window: 7 * DAY }),
    windowFeature('CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW', customerTx, { agg: 'avg', window: 7 * DAY }),
    windowFeature('CUSTOMER_ID_NB_TX_30DAY_WINDOW', customerTx, { agg: 'count', window: 30 * DAY }),
    windowFeature('CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW', customerTx, { agg: 'avg', window: 30 * DAY }),
    windowFeature('TERMINAL_ID_NB_TX_1DAY_WINDOW', terminalTx, { agg: 'count', window: DAY }),
    windowFeature('TERMINAL_ID_RISK_1DAY_WINDOW', terminalTx, { agg: 'labelRate', window: DAY }),
    windowFeature('TERMINAL_ID_NB_TX_7DAY_WINDOW', terminalTx, { agg: 'count', window: 7 * DAY }),
    windowFeature('TERMINAL_ID_RISK_7DAY_WINDOW', terminalTx, { agg: 'labelRate', window: 7 * DAY }),
    windowFeature('TERMINAL_ID_NB_TX_30DAY_WINDOW', terminalTx, { agg: 'count', window: 30 * DAY }),
    windowFeature('TERMINAL_ID_RISK_30DAY_WINDOW', terminalTx, { agg: 'labelRate', window: 30 * DAY }),
  ],
});

export type HandbookFeatureSet = typeof handbookFeatureSet;
export type HandbookVector = FeatureVector<HandbookFeatureSet>;
