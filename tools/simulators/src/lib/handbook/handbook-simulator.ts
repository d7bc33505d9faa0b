import { Prng } from '../random/prng';
import type {
  HandbookColumns,
  HandbookCompromise,
  HandbookCustomerProfile,
  HandbookSimulationOptions,
  HandbookSummary,
  HandbookTerminalProfile,
  HandbookTransaction,
} from './handbook.types';

/** The reference dataset of the handbook (≈1.75M transactions). */
export const HANDBOOK_DEFAULTS: Readonly<HandbookSimulationOptions> = Object.freeze({
  customers: 5000,
  terminals: 10000,
  days: 183,
  startDate: '2018-04-01',
  seed: 0,
  radius: 5,
  amountThreshold: 220,
  compromisedTerminalsPerDay: 2,
  terminalCompromiseDays: 28,
  compromisedCustomersPerDay: 3,
  customerCompromiseDays: 14,
  customerCompromiseMultiplier: 5,
});

const SECONDS_PER_DAY = 86400;
const TIME_OF_DAY_MEAN = SECONDS_PER_DAY / 2;
const TIME_OF_DAY_STD = 20000;
const AREA = 100;
/** Large enough to hold any per-day index in the packed sort key (time * 2^22 + index < 2^53). */
const DAY_INDEX_BITS = 4194304;

/** A simulated dataset: profiles, fraud ground truth and the transactions as columns. */
export class HandbookDataset {
  constructor(
    readonly options: Readonly<HandbookSimulationOptions>,
    readonly customers: readonly HandbookCustomerProfile[],
    readonly terminals: readonly HandbookTerminalProfile[],
    /** CSR: terminals usable by customer c are terminalIndex[offsets[c] .. offsets[c+1]). */
    private readonly reachOffsets: Int32Array,
    private readonly reachTerminals: Int32Array,
    readonly compromisedTerminals: readonly HandbookCompromise[],
    readonly compromisedCustomers: readonly HandbookCompromise[],
    readonly columns: HandbookColumns,
    private readonly dayPrefixes: readonly string[],
  ) {}

  get size(): number {
    return this.columns.customerId.length;
  }

  availableTerminals(customerId: number): Int32Array {
    return this.reachTerminals.subarray(this.reachOffsets[customerId], this.reachOffsets[customerId + 1]);
  }

  row(i: number): HandbookTransaction {
    const c = this.columns;
    const seconds = c.timeSeconds[i] as number;
    const day = Math.floor(seconds / SECONDS_PER_DAY);
    return {
      transactionId: i,
      txDatetime: this.datetime(seconds),
      customerId: c.customerId[i] as number,
      terminalId: c.terminalId[i] as number,
      txAmount: (c.amountCents[i] as number) / 100,
      txTimeSeconds: seconds,
      txTimeDays: day,
      txFraud: c.fraud[i] as 0 | 1,
      txFraudScenario: c.scenario[i] as 0 | 1 | 2 | 3,
    };
  }

  *rows(): IterableIterator<HandbookTransaction> {
    for (let i = 0; i < this.size; i++) yield this.row(i);
  }

  /** "YYYY-MM-DD HH:MM:SS" for seconds since the start. */
  datetime(seconds: number): string {
    const day = Math.floor(seconds / SECONDS_PER_DAY);
    const s = seconds - day * SECONDS_PER_DAY;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s - h * 3600) / 60);
    return `${this.dayPrefixes[day]}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s - h * 3600 - m * 60]}`;
  }

  summary(): HandbookSummary {
    const { fraud, scenario, customerId, timeSeconds } = this.columns;
    const days = this.options.days;
    const fraudsByDay = new Float64Array(days);
    const cardsByDay = new Float64Array(days);
    const seenOnDay = new Int32Array(this.options.customers).fill(-1);
    const counts: Record<1 | 2 | 3, number> = { 1: 0, 2: 0, 3: 0 };
    let frauds = 0;
    for (let i = 0; i < this.size; i++) {
      if (fraud[i] !== 1) continue;
      frauds++;
      counts[scenario[i] as 1 | 2 | 3]++;
      const day = Math.floor((timeSeconds[i] as number) / SECONDS_PER_DAY);
      fraudsByDay[day]++;
      const cust = customerId[i] as number;
      if (seenOnDay[cust] !== day) {
        seenOnDay[cust] = day;
        cardsByDay[day]++;
      }
    }
    const mean = (a: Float64Array, from: number): number => {
      if (a.length <= from) return 0;
      let s = 0;
      for (let i = from; i < a.length; i++) s += a[i] as number;
      return s / (a.length - from);
    };
    const steadyFrom = Math.min(this.options.terminalCompromiseDays, Math.max(0, days - 1));
    const share = (n: number): number => (frauds === 0 ? 0 : n / frauds);
    return {
      rows: this.size,
      frauds,
      fraudRate: this.size === 0 ? 0 : frauds / this.size,
      scenarioCounts: counts,
      scenarioShares: { 1: share(counts[1]), 2: share(counts[2]), 3: share(counts[3]) },
      fraudsPerDay: mean(fraudsByDay, 0),
      compromisedCardsPerDay: mean(cardsByDay, 0),
      fraudsPerDaySteady: mean(fraudsByDay, steadyFrom),
      compromisedCardsPerDaySteady: mean(cardsByDay, steadyFrom),
    };
  }
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Simulates the handbook's synthetic card-transaction dataset.
 * Transactions are generated day by day (so the output is already in datetime order),
 * then the three fraud scenarios are applied in the handbook's order: 1, 2, 3.
 */
export function simulateHandbook(overrides: Partial<HandbookSimulationOptions> = {}): HandbookDataset {
  const options: HandbookSimulationOptions = { ...HANDBOOK_DEFAULTS, ...overrides };
  validate(options);
  const root = new Prng(options.seed);
  const profileRng = root.fork(1);
  const txRng = root.fork(2);
  const fraudRng = root.fork(3);

  const customers = generateCustomers(profileRng, options.customers);
  const terminals = generateTerminals(profileRng, options.terminals);
  const { offsets, reach } = terminalsWithinRadius(customers, terminals, options.radius);

  const columns = generateTransactions(txRng, customers, offsets, reach, options.days);
  const compromisedTerminals = applyScenario1And2(fraudRng, columns, options);
  const compromisedCustomers = applyScenario3(fraudRng, columns, options);

  return new HandbookDataset(
    options,
    customers,
    terminals,
    offsets,
    reach,
    compromisedTerminals,
    compromisedCustomers,
    columns,
    dayPrefixes(options.startDate, options.days),
  );
}

function validate(o: HandbookSimulationOptions): void {
  const positiveInts: (keyof HandbookSimulationOptions)[] = ['customers', 'terminals', 'days'];
  for (const k of positiveInts) {
    const v = o[k] as number;
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${k} must be a positive integer, got ${String(v)}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDate) || Number.isNaN(Date.parse(`${o.startDate}T00:00:00Z`))) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got ${o.startDate}`);
  }
  if (!(o.radius > 0)) throw new RangeError('radius must be > 0');
}

function generateCustomers(rng: Prng, n: number): HandbookCustomerProfile[] {
  const out: HandbookCustomerProfile[] = [];
  for (let customerId = 0; customerId < n; customerId++) {
    const x = rng.uniform(0, AREA);
    const y = rng.uniform(0, AREA);
    const meanAmount = rng.uniform(5, 100);
    const meanNbTxPerDay = rng.uniform(0, 4);
    out.push({ customerId, x, y, meanAmount, stdAmount: meanAmount / 2, meanNbTxPerDay });
  }
  return out;
}

function generateTerminals(rng: Prng, n: number): HandbookTerminalProfile[] {
  const out: HandbookTerminalProfile[] = [];
  for (let terminalId = 0; terminalId < n; terminalId++) {
    out.push({ terminalId, x: rng.uniform(0, AREA), y: rng.uniform(0, AREA) });
  }
  return out;
}

/** Uniform grid with cell side = radius: only the 3x3 neighbouring cells can hold terminals within reach. */
function terminalsWithinRadius(
  customers: readonly HandbookCustomerProfile[],
  terminals: readonly HandbookTerminalProfile[],
  radius: number,
): { offsets: Int32Array; reach: Int32Array } {
  const cells = Math.max(1, Math.ceil(AREA / radius));
  const cellOf = (v: number): number => Math.min(cells - 1, Math.max(0, Math.floor(v / radius)));
  const cellCount = new Int32Array(cells * cells + 1);
  for (const t of terminals) cellCount[cellOf(t.y) * cells + cellOf(t.x) + 1]++;
  for (let i = 1; i < cellCount.length; i++) cellCount[i] = (cellCount[i] as number) + (cellCount[i - 1] as number);
  const cellStart = cellCount.slice();
  const cellTerminals = new Int32Array(terminals.length);
  const fill = cellStart.slice();
  for (const t of terminals) {
    const c = cellOf(t.y) * cells + cellOf(t.x);
    cellTerminals[fill[c] as number] = t.terminalId;
    fill[c] = (fill[c] as number) + 1;
  }

  const offsets = new Int32Array(customers.length + 1);
  const collected: number[] = [];
  const r2 = radius * radius;
  const scratch: number[] = [];
  for (const cust of customers) {
    scratch.length = 0;
    const cx = cellOf(cust.x);
    const cy = cellOf(cust.y);
    for (let gy = Math.max(0, cy - 1); gy <= Math.min(cells - 1, cy + 1); gy++) {
      for (let gx = Math.max(0, cx - 1); gx <= Math.min(cells - 1, cx + 1); gx++) {
        const c = gy * cells + gx;
        for (let k = cellStart[c] as number; k < (cellStart[c + 1] as number); k++) {
          const tid = cellTerminals[k] as number;
          const t = terminals[tid] as HandbookTerminalProfile;
          const dx = t.x - cust.x;
          const dy = t.y - cust.y;
          if (dx * dx + dy * dy < r2) scratch.push(tid);
        }
      }
    }
    scratch.sort((a, b) => a - b);
    for (const tid of scratch) collected.push(tid);
    offsets[cust.customerId + 1] = collected.length;
  }
  return { offsets, reach: Int32Array.from(collected) };
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function generateTransactions(
  rng: Prng,
  customers: readonly HandbookCustomerProfile[],
  offsets: Int32Array,
  reach: Int32Array,
  days: number,
): HandbookColumns {
  const expected = Math.ceil(customers.reduce((s, c) => s + c.meanNbTxPerDay, 0) * days * 1.05);
  const custCol = new GrowableInt32(expected);
  const termCol = new GrowableInt32(expected);
  const centsCol = new GrowableInt32(expected);
  const timeCol = new GrowableInt32(expected);

  // Per-day scratch, reused.
  let dayCust = new Int32Array(1024);
  let dayTerm = new Int32Array(1024);
  let dayCents = new Int32Array(1024);
  let dayTime = new Int32Array(1024);
  let keys = new Float64Array(1024);

  for (let day = 0; day < days; day++) {
    let n = 0;
    for (const cust of customers) {
      const nbTx = rng.poisson(cust.meanNbTxPerDay);
      const from = offsets[cust.customerId] as number;
      const available = (offsets[cust.customerId + 1] as number) - from;
      for (let t = 0; t < nbTx; t++) {
        const timeTx = Math.trunc(rng.normal(TIME_OF_DAY_MEAN, TIME_OF_DAY_STD));
        if (timeTx <= 0 || timeTx >= SECONDS_PER_DAY) continue;
        let amount = rng.normal(cust.meanAmount, cust.stdAmount);
        if (amount < 0) amount = rng.uniform(0, cust.meanAmount * 2);
        const cents = Math.round(amount * 100);
        if (available === 0) continue;
        const terminal = reach[from + rng.int(available)] as number;
        if (n === dayCust.length) {
          dayCust = grow(dayCust);
          dayTerm = grow(dayTerm);
          dayCents = grow(dayCents);
          dayTime = grow(dayTime);
          keys = new Float64Array(keys.length * 2);
        }
        dayCust[n] = cust.customerId;
        dayTerm[n] = terminal;
        dayCents[n] = cents;
        dayTime[n] = timeTx;
        n++;
      }
    }
    // Stable sort by time of day: generation order breaks ties.
    const dayKeys = keys.subarray(0, n);
    for (let i = 0; i < n; i++) dayKeys[i] = (dayTime[i] as number) * DAY_INDEX_BITS + i;
    dayKeys.sort();
    const base = day * SECONDS_PER_DAY;
    for (let j = 0; j < n; j++) {
      const i = (dayKeys[j] as number) % DAY_INDEX_BITS;
      custCol.push(dayCust[i] as number);
      termCol.push(dayTerm[i] as number);
      centsCol.push(dayCents[i] as number);
      timeCol.push(base + (dayTime[i] as number));
    }
  }
  const size = custCol.length;
  return {
    customerId: custCol.toArray(),
    terminalId: termCol.toArray(),
    amountCents: centsCol.toArray(),
    timeSeconds: timeCol.toArray(),
    fraud: new Uint8Array(size),
    scenario: new Uint8Array(size),
  };
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/** Scenario 1 (amount threshold) then scenario 2 (compromised terminals for the next N days). */
function applyScenario1And2(rng: Prng, cols: HandbookColumns, o: HandbookSimulationOptions): HandbookCompromise[] {
  const thresholdCents = Math.round(o.amountThreshold * 100);
  const compromises: HandbookCompromise[] = [];
  const byDay: number[][] = [];
  for (let day = 0; day < o.days; day++) {
    const ids = rng.sampleWithoutReplacement(o.terminals, o.compromisedTerminalsPerDay);
    byDay.push(ids);
    for (const id of ids) compromises.push({ day, id });
  }
  const compromisedUntil = new Int32Array(o.terminals);
  let appliedThroughDay = -1;
  const n = cols.customerId.length;
  for (let i = 0; i < n; i++) {
    if ((cols.amountCents[i] as number) > thresholdCents) {
      cols.fraud[i] = 1;
      cols.scenario[i] = 1;
    }
    const day = Math.floor((cols.timeSeconds[i] as number) / SECONDS_PER_DAY);
    while (appliedThroughDay < day) {
      appliedThroughDay++;
      for (const id of byDay[appliedThroughDay] ?? []) {
        compromisedUntil[id] = Math.max(compromisedUntil[id] as number, appliedThroughDay + o.terminalCompromiseDays);
      }
    }
    if (day < (compromisedUntil[cols.terminalId[i] as number] as number)) {
      cols.fraud[i] = 1;
      cols.scenario[i] = 2;
    }
  }
  return compromises;
}

/**
 * Scenario 3: each day some customers are compromised; a random third of their pooled
 * transactions over the next N days get their amount multiplied and are fraud.
 */
function applyScenario3(rng: Prng, cols: HandbookColumns, o: HandbookSimulationOptions): HandbookCompromise[] {
  const n = cols.customerId.length;
  // CSR of transaction indices by customer, each list in time order.
  const offsets = new Int32Array(o.customers + 1);
  for (let i = 0; i < n; i++) offsets[(cols.customerId[i] as number) + 1]++;
  for (let c = 0; c < o.customers; c++) offsets[c + 1] = (offsets[c + 1] as number) + (offsets[c] as number);
  const fill = offsets.slice();
  const txByCustomer = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cols.customerId[i] as number;
    txByCustomer[fill[c] as number] = i;
    fill[c] = (fill[c] as number) + 1;
  }

  const compromises: HandbookCompromise[] = [];
  const pool: number[] = [];
  for (let day = 0; day < o.days; day++) {
    const ids = rng.sampleWithoutReplacement(o.customers, o.compromisedCustomersPerDay);
    pool.length = 0;
    const fromSec = day * SECONDS_PER_DAY;
    const toSec = (day + o.customerCompromiseDays) * SECONDS_PER_DAY;
    for (const c of ids) {
      compromises.push({ day, id: c });
      for (let k = offsets[c] as number; k < (offsets[c + 1] as number); k++) {
        const i = txByCustomer[k] as number;
        const t = cols.timeSeconds[i] as number;
        if (t >= fromSec && t < toSec) pool.push(i);
      }
    }
    const picks = rng.sampleWithoutReplacement(pool.length, Math.floor(pool.length / 3));
    for (const p of picks) {
      const i = pool[p] as number;
      // A transaction drawn by two overlapping compromises is multiplied once.
      if (cols.scenario[i] !== 3) cols.amountCents[i] = (cols.amountCents[i] as number) * o.customerCompromiseMultiplier;
      cols.fraud[i] = 1;
      cols.scenario[i] = 3;
    }
  }
  return compromises;
}

function dayPrefixes(startDate: string, days: number): string[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const out: string[] = [];
  for (let d = 0; d <= days; d++) out.push(`${new Date(start + d * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10)} `);
  return out;
}
