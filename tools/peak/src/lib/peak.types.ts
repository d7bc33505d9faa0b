/** One second of load as seen by one generator process (merged across processes by the orchestrator). */
export interface SecondStats {
  /** Whole seconds since the run's t0. */
  second: number;
  /** Requests due in this second (offered load, open model). */
  offered: number;
  /** Requests actually sent (offered minus `overflow`). */
  sent: number;
  /** Answered with a valid decision (by the scorer, or by the client's fail-open in client mode). */
  answered: number;
  /** Answered within the budget, measured from the scheduled send time (no coordinated omission). */
  withinBudget: number;
  /** Latencies (ms) of answered requests, from the scheduled send time. */
  latencies: number[];
  /** Answers that carried at least one `degraded` entry. */
  degraded: number;
  /** `stage:reason` → count. */
  degradedBy: Record<string, number>;
  failOpen: number;
  status5xx: number;
  status4xx: number;
  timeouts: number;
  connErrors: number;
  /** Not sent because the generator's in-flight cap was reached (counts as unanswered). */
  overflow: number;
  modelVersions: Record<string, number>;
}

export type LoadMode = 'raw' | 'client';

/** Piecewise-linear offered rate: [second, requests per second] points, in order. */
export type RateSchedule = Array<[number, number]>;

export interface LoadWorkerConfig {
  url: string;
  mode: LoadMode;
  schedule: RateSchedule;
  /** Share of the schedule this process offers (1 / number of processes). */
  share: number;
  seed: number;
  budgetMs: number;
  /** Raw mode: an answer later than this is a timeout. */
  timeoutMs: number;
  maxInFlight: number;
  /** Prefix of every checkoutId this worker sends (makes decision-log counting exact). */
  idPrefix: string;
  /** Epoch ms at which second 0 starts (shared by every worker). */
  t0: number;
  /** Client mode: hedge delay and attempts of @risk/scorer-client. */
  hedgeAfterMs?: number;
  maxAttempts?: number;
}

export interface ProcessMemory {
  name: string;
  pid: number;
  rssMb: number | null;
  cpuS: number | null;
}
