import type { Action } from '@risk/contract-events';

const BUCKETS = 20;

/** Action counts over a sliding window, kept in fixed time buckets (O(1) per decision, no allocation). */
export class RateWindow {
  private readonly bucketMs: number;
  private readonly totals = new Float64Array(BUCKETS);
  private readonly declines = new Float64Array(BUCKETS);
  private readonly stepUps = new Float64Array(BUCKETS);
  private readonly epochs = new Float64Array(BUCKETS).fill(-1);

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
  }

  private slot(now: number): number {
    const epoch = Math.floor(now / this.bucketMs);
    const i = epoch % BUCKETS;
    if (this.epochs[i] !== epoch) {
      this.epochs[i] = epoch;
      this.totals[i] = 0;
      this.declines[i] = 0;
      this.stepUps[i] = 0;
    }
    return i;
  }

  record(action: Action, now: number): void {
    const i = this.slot(now);
    this.totals[i] = (this.totals[i] as number) + 1;
    if (action === 'decline') this.declines[i] = (this.declines[i] as number) + 1;
    else if (action === 'step_up') this.stepUps[i] = (this.stepUps[i] as number) + 1;
  }

  snapshot(now: number): { total: number; declines: number; stepUps: number } {
    const current = Math.floor(now / this.bucketMs);
    let total = 0;
    let declines = 0;
    let stepUps = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const e = this.epochs[i] as number;
      if (e < 0 || current - e >= BUCKETS) continue;
      total += this.totals[i] as number;
      declines += this.declines[i] as number;
      stepUps += this.stepUps[i] as number;
    }
    return { total, declines, stepUps };
  }
}
