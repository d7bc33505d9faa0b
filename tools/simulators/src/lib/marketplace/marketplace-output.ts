import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RiskEvent } from '@risk/contract-events';
import { MarketplaceSimulator } from './marketplace-simulator';
import type { FraudScenario, MarketplaceItem, MarketplaceSimulationOptions, ScoringSample } from './marketplace.types';

/** Running totals over a simulated stream, for CLI output and tests. */
export class MarketplaceStats {
  checkouts = 0;
  frauds = 0;
  events = 0;
  readonly eventsByType: Record<string, number> = {};
  readonly fraudsByScenario: Partial<Record<FraudScenario, number>> = {};
  readonly labelsBySource: Record<string, number> = {};
  /** Checkouts per minute since the start (index = minute). */
  readonly checkoutsPerMinute: number[] = [];
  firstEventMs = Number.POSITIVE_INFINITY;
  lastEventMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly startMs: number) {}

  add(item: MarketplaceItem): void {
    if (item.kind === 'checkout') {
      this.checkouts++;
      const minute = Math.floor((item.timeMs - this.startMs) / 60_000);
      while (this.checkoutsPerMinute.length <= minute) this.checkoutsPerMinute.push(0);
      this.checkoutsPerMinute[minute] = (this.checkoutsPerMinute[minute] as number) + 1;
      const { truth } = item.sample;
      if (truth.isFraud && truth.scenario) {
        this.frauds++;
        this.fraudsByScenario[truth.scenario] = (this.fraudsByScenario[truth.scenario] ?? 0) + 1;
      }
      return;
    }
    this.events++;
    const e = item.event;
    this.eventsByType[e.type] = (this.eventsByType[e.type] ?? 0) + 1;
    if (e.type === 'label.confirmed') {
      const k = `${e.payload.label}:${e.payload.source}`;
      this.labelsBySource[k] = (this.labelsBySource[k] ?? 0) + 1;
    }
    this.firstEventMs = Math.min(this.firstEventMs, item.timeMs);
    this.lastEventMs = Math.max(this.lastEventMs, item.timeMs);
  }

  /** Mean checkouts/minute over [fromMinute, toMinute). */
  meanRate(fromMinute: number, toMinute: number): number {
    let s = 0;
    for (let m = fromMinute; m < toMinute; m++) s += this.checkoutsPerMinute[m] ?? 0;
    return toMinute > fromMinute ? s / (toMinute - fromMinute) : 0;
  }
}

/** Contract events only, in time order. */
export function* marketplaceEvents(options: Partial<MarketplaceSimulationOptions> = {}): IterableIterator<RiskEvent> {
  for (const item of new MarketplaceSimulator(options).items()) if (item.kind === 'event') yield item.event;
}

/**
 * Scoring requests for load tests, in arrival order, each with the simulator's ground truth.
 * Requests carry synthetic raw identifiers (reserved example domains, benchmarking IP range) as the checkout
 * service would send them; the card is only ever a PSP token.
 */
export function* scoringRequests(options: Partial<MarketplaceSimulationOptions> = {}): IterableIterator<ScoringSample> {
  for (const item of new MarketplaceSimulator(options).items()) if (item.kind === 'checkout') yield item.sample;
}

export interface WriteMarketplaceOptions {
  /** Called for every event after it is written (e.g. to publish it). May return a promise to apply back-pressure. */
  onEvent?: (event: RiskEvent) => void | Promise<void>;
}

/** Streams the contract events as JSONL to `path`; returns the run's statistics. */
export async function writeMarketplaceJsonl(
  options: Partial<MarketplaceSimulationOptions>,
  path: string,
  extra: WriteMarketplaceOptions = {},
): Promise<{ stats: MarketplaceStats; bytes: number; simulator: MarketplaceSimulator }> {
  const sim = new MarketplaceSimulator(options);
  const stats = new MarketplaceStats(sim.start.getTime());
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  let buf = '';
  try {
    for (const item of sim.items()) {
      stats.add(item);
      if (item.kind !== 'event') continue;
      buf += `${JSON.stringify(item.event)}\n`;
      if (extra.onEvent) await extra.onEvent(item.event);
      if (buf.length > 1 << 16) {
        bytes += Buffer.byteLength(buf);
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    if (buf) {
      bytes += Buffer.byteLength(buf);
      out.write(buf);
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return { stats, bytes, simulator: sim };
}
