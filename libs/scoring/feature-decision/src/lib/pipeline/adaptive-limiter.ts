export interface AdaptiveLimiterOptions {
  initial: number;
  min: number;
  max: number;
  /** Latency above which a call counts as a congestion signal. */
  targetMs: number;
}

/**
 * AIMD concurrency limit for the I/O stage (in the spirit of Netflix concurrency-limits): grows by ~1 per
 * window of good calls, shrinks 10% on slow or failed ones. Requests over the limit take the cheap path
 * at once instead of queueing behind a slow dependency.
 */
export class AdaptiveLimiter {
  private limitValue: number;
  private inflightCount = 0;
  shed = 0;

  constructor(private readonly o: AdaptiveLimiterOptions) {
    this.limitValue = o.initial;
  }

  get limit(): number {
    return Math.floor(this.limitValue);
  }

  get inflight(): number {
    return this.inflightCount;
  }

  tryAcquire(): boolean {
    if (this.inflightCount >= Math.floor(this.limitValue)) {
      this.shed++;
      return false;
    }
    this.inflightCount++;
    return true;
  }

  release(latencyMs: number, ok: boolean): void {
    this.inflightCount--;
    if (!ok || latencyMs > this.o.targetMs) this.limitValue = Math.max(this.o.min, this.limitValue * 0.9);
    else this.limitValue = Math.min(this.o.max, this.limitValue + 1 / this.limitValue);
  }
}
