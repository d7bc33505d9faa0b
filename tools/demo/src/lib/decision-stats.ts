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
  /** The scorer's own p99 (`timings.totalMs` of answered decisions): what its 60 ms budget is about. */
  scorerP99Ms: number;
  byModelVersion: Record<string, number>;
}

export interface RecordedDecision {
  action: string;
  degraded: readonly { reason: string }[];
  modelVersion: string | null;
  source: 'scorer' | 'fail_open';
  timings?: { totalMs: number };
}

function bucket(ms: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.round(ms / BUCKET_MS)));
}

function quantileOf(hist: Uint32Array, n: number, q: number): number {
  if (n === 0) return 0;
  const rank = Math.ceil(q * n);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return +(i * BUCKET_MS).toFixed(1);
  }
  return (BUCKETS - 1) * BUCKET_MS;
}

/** Counts of one phase of the demo (whole run, peak, fault window): decisions by action, degraded share, p99. */
export class DecisionStats {
  private readonly hist = new Uint32Array(BUCKETS);
  private readonly scorerHist = new Uint32Array(BUCKETS);
  private total = 0;
  private degraded = 0;
  private unanswered = 0;
  private maxMs = 0;
  private readonly byAction: Record<string, number> = {};
  private readonly degradedByReason: Record<string, number> = {};
  private readonly byModelVersion: Record<string, number> = {};

  record(d: RecordedDecision, latencyMs: number): void {
    this.total++;
    this.hist[bucket(latencyMs)]++;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
    if (d.source === 'fail_open') {
      this.unanswered++;
      return;
    }
    this.byAction[d.action] = (this.byAction[d.action] ?? 0) + 1;
    if (d.timings) this.scorerHist[bucket(d.timings.totalMs)]++;
    const mv = d.modelVersion ?? 'none';
    this.byModelVersion[mv] = (this.byModelVersion[mv] ?? 0) + 1;
    if (d.degraded.length > 0) {
      this.degraded++;
      for (const e of d.degraded) this.degradedByReason[e.reason] = (this.degradedByReason[e.reason] ?? 0) + 1;
    }
  }

  quantile(q: number): number {
    return quantileOf(this.hist, this.total, q);
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
      scorerP99Ms: quantileOf(this.scorerHist, answered, 0.99),
      byModelVersion: { ...this.byModelVersion },
    };
  }
}
