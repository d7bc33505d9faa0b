/** Sizes and timings of one demo run; `--quick` is the CI profile (a few minutes on 2 shared cores). */
export interface DemoProfile {
  mode: 'quick' | 'full';
  /** Marketplace checkouts kept in memory and cycled by the traffic generator. */
  poolSize: number;
  shoppers: number;
  merchants: number;
  /** Events published to the event log before traffic starts (the feature service's online state). */
  maxEvents: number;
  /** Steady checkout rate (requests/s, open loop). */
  baseRps: number;
  /** The checkout's client budget per decision (the scorer's own p99 budget is 60 ms; 2 shared cores need slack). */
  clientBudgetMs: number;
  /** Traffic before training starts, so the feature service and the scorer are warm. */
  warmupMs: number;
  training: { customers: number; terminals: number; days: number; nTrees: number; maxDepth: number; timeoutMs: number };
  rollout: { shadowMs: number; steps: { percent: number; bakeMs: number }[]; minSamples: number; timeoutMs: number };
  peak: { multiplier: number; durationMs: number; faultAfterMs: number; faultMs: number };
}

export const QUICK_PROFILE: DemoProfile = {
  mode: 'quick',
  poolSize: 3000,
  shoppers: 1500,
  merchants: 300,
  maxEvents: 20_000,
  baseRps: 25,
  clientBudgetMs: 1000,
  warmupMs: 4000,
  training: { customers: 200, terminals: 400, days: 26, nTrees: 40, maxDepth: 4, timeoutMs: 120_000 },
  rollout: {
    shadowMs: 2000,
    steps: [
      { percent: 25, bakeMs: 2500 },
      { percent: 50, bakeMs: 2500 },
      { percent: 100, bakeMs: 2500 },
    ],
    minSamples: 60,
    timeoutMs: 90_000,
  },
  peak: { multiplier: 8, durationMs: 6000, faultAfterMs: 1500, faultMs: 2000 },
};

export const FULL_PROFILE: DemoProfile = {
  mode: 'full',
  poolSize: 20_000,
  shoppers: 8000,
  merchants: 2000,
  maxEvents: 150_000,
  baseRps: 50,
  clientBudgetMs: 1000,
  warmupMs: 10_000,
  training: { customers: 1000, terminals: 2000, days: 60, nTrees: 120, maxDepth: 5, timeoutMs: 300_000 },
  rollout: {
    shadowMs: 8000,
    steps: [
      { percent: 10, bakeMs: 8000 },
      { percent: 25, bakeMs: 8000 },
      { percent: 50, bakeMs: 8000 },
      { percent: 100, bakeMs: 8000 },
    ],
    minSamples: 200,
    timeoutMs: 300_000,
  },
  peak: { multiplier: 9, durationMs: 10_000, faultAfterMs: 3000, faultMs: 3000 },
};

export interface DemoOptions {
  profile: DemoProfile;
  /** Where the final summary JSON goes. */
  summaryPath: string;
  /** Always pick free ports (tests) instead of the documented defaults 3001-3005. */
  freePorts: boolean;
  /** After the summary, keep the apps up (registry UI, metrics) until Ctrl-C. */
  keepRunning: boolean;
  /** Print a live status line (TTY) or periodic status lines. */
  tty: boolean;
  env: Record<string, string | undefined>;
}
