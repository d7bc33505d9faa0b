import type { ServedVector } from '../monitoring.types';

/** Served vectors of the last `windowMs`, bounded in count (oldest dropped first). */
export class ServedWindow {
  private items: ServedVector[] = [];
  dropped = 0;

  constructor(
    readonly windowMs: number,
    private readonly maxItems = 500_000,
  ) {}

  add(v: ServedVector): void {
    this.items.push(v);
    if (this.items.length > this.maxItems) {
      const cut = this.items.length - this.maxItems;
      this.items.splice(0, cut);
      this.dropped += cut;
    }
  }

  /** Drops what is older than `now - windowMs`. Arrival is near time order, so a scan from the front suffices. */
  prune(now: number): void {
    const from = now - this.windowMs;
    let i = 0;
    while (i < this.items.length && this.items[i].time < from) i++;
    if (i) this.items.splice(0, i);
  }

  /** Vectors with from <= time < to (defaults: the whole window ending now). */
  slice(now: number, from = now - this.windowMs): ServedVector[] {
    return this.items.filter((v) => v.time >= from && v.time < now);
  }

  get size(): number {
    return this.items.length;
  }
}
