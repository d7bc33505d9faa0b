/** Latency histogram with 0.1 ms buckets up to 2 s (the last bucket collects everything slower). */
const BUCKET_MS = 0.1;
const BUCKETS = 20_001;

export interface StatsSnapshot {
  total: number;
  byAction: Record<string, number>;
  degraded: number;
  degradedShare: number;
  degradedByReason: Record<string, number>;
  /** Requests the scorer did not answer in the client's budget (5xx, timeout, refused): the client failed open. */
  unanswered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  byModelVersion: Record<string, number>;
}

export interface RecordedDecision {
  action: string;
  degraded: readonly { reason: string }[];
  modelVersion: string | null;
  source: 'scorer' | 'fail_open';
}

/** Counts of one phase of the demo (whole run, peak, fault window): decisions by action, degraded share, p99. */
export class DecisionStats {
  private readonly hist = new Uint32Array(BUCKETS);
  private total = 0;
  private degraded = 0;
  private unanswered = 0;
  private maxMs = 0;
  private readonly byAction: Record<string, number> = {};
  private readonly degradedByReason: Record<string, number> = {};
  private readonly byModelVersion: Record<string, number> = {};

  record(d: RecordedDecision, latencyMs: number): void {
    this.total++;
    this.hist[Math.min(BUCKETS - 1, Math.max(0, Math.round(latencyMs / BUCKET_MS)))]++;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
    if (d.source === 'fail_open') {
      this.unanswered++;
      return;
    }
    this.byAction[d.action] = (this.byAction[d.action] ?? 0) + 1;
    const mv = d.modelVersion ?? 'none';
    this.byModelVersion[mv] = (this.byModelVersion[mv] ?? 0) + 1;
    if (d.degraded.length > 0) {
      this.degraded++;
      for (const e of d.degraded) this.degradedByReason[e.reason] = (this.degradedByReason[e.reason] ?? 0) + 1;
    }
  }

  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.hist[i] ?? 0;
      if (seen >= rank) return +(i * BUCKET_MS).toFixed(1);
    }
    return this.maxMs;
  }

  snapshot(): StatsSnapshot {
    const answered = this.total - this.unanswered;
    return {
      total: this.total,
      byAction: { ...this.byAction },
      degraded: this.degraded,
      degradedShare: answered > 0 ? +(this.degraded / answered).toFixed(4) : 0,
      degradedByReason: { ...this.degradedByReason },
      unanswered: this.unanswered,
      p50Ms: this.quantile(0.5),
      p99Ms: this.quantile(0.99),
      maxMs: +this.maxMs.toFixed(1),
      byModelVersion: { ...this.byModelVersion },
    };
  }
}
