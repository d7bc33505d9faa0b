interface Cell {
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * In-memory sliding-window counter (two-window approximation, as used by rate limiters): O(1), bounded memory.
 * Per-instance only — it catches bursts at one scorer; the feature store carries the fleet-wide velocity.
 */
export class VelocityCounter {
  private readonly cells = new Map<string, Cell>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 200_000,
  ) {}

  /** Counts this event and returns the estimated number of events in the last window, including it. */
  hit(key: string, now: number): number {
    let c = this.cells.get(key);
    if (!c) {
      if (this.cells.size >= this.maxKeys) {
        const oldest = this.cells.keys().next().value;
        if (oldest !== undefined) this.cells.delete(oldest);
      }
      c = { windowStart: now - (now % this.windowMs), current: 0, previous: 0 };
      this.cells.set(key, c);
    }
    const start = now - (now % this.windowMs);
    if (start !== c.windowStart) {
      c.previous = start - c.windowStart === this.windowMs ? c.current : 0;
      c.current = 0;
      c.windowStart = start;
    }
    c.current++;
    const weight = 1 - (now - start) / this.windowMs;
    return c.current + c.previous * weight;
  }

  get size(): number {
    return this.cells.size;
  }
}
