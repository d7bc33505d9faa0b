import type { DecisionMadeEvent } from '@risk/contract-events';
import { computeBatch } from '@risk/feature-engine';
import type { EngineEvent } from '@risk/feature-engine';
import { checkoutFeatureSet, toFeatureEvents } from '@risk/feature-sets';
import { MarketplaceSimulator } from '@risk/simulators';
import type { ServedVector } from '../monitoring.types';

const DAY = 86_400_000;

export interface MarketplaceFixture {
  start: number;
  events: EngineEvent[];
  /** served vectors of every checkout, computed point-in-time by the batch engine (what a consistent online path serves) */
  served: ServedVector[];
  /** the same checkouts of `driftRegion` from `driftFromDay`, scored while the checkout client sent no device id */
  servedWithoutDevice: ServedVector[];
}

export interface FixtureOptions {
  days: number;
  shoppers: number;
  seed: number;
  modelVersion: string;
  driftRegion: string;
  driftFromDay: number;
}

/**
 * The marketplace simulator through the checkout feature set. The simulator's decisions (legacy rules) give
 * score, action and request id; the batch engine gives the vector as of each checkout's own time.
 */
export function buildMarketplaceFixture(o: FixtureOptions): MarketplaceFixture {
  const sim = new MarketplaceSimulator({ days: o.days, shoppers: o.shoppers, merchants: Math.round(o.shoppers * 0.7), seed: o.seed });
  const start = sim.start.getTime();
  const events: EngineEvent[] = [];
  const requests: EngineEvent[] = [];
  const region = new Map<string, string>();
  const decisions = new Map<string, DecisionMadeEvent>();
  for (const item of sim.items()) {
    if (item.kind !== 'event') continue;
    const e = item.event;
    if (e.type === 'decision.made') decisions.set(e.payload.checkoutId, e);
    for (const fe of toFeatureEvents(e)) {
      events.push(fe);
      if (e.type === 'checkout.started') {
        requests.push(fe);
        region.set(fe.eventId, e.region);
      }
    }
  }
  // The drifted requests: same checkouts, no device entity on the request.
  const driftFrom = start + o.driftFromDay * DAY;
  const drifted = requests.filter((r) => region.get(r.eventId) === o.driftRegion && r.time >= driftFrom);
  const withoutDevice = drifted.map((r) => {
    const entities = { ...r.entities };
    delete entities['device'];
    return { ...r, entities };
  });
  const all = [...requests, ...withoutDevice];
  const batch = computeBatch(checkoutFeatureSet, events, all);
  const names = checkoutFeatureSet.featureNames;
  const toServed = (r: EngineEvent, i: number): ServedVector => {
    const checkoutId = r.eventId.slice('checkout:'.length);
    const d = decisions.get(checkoutId);
    const values: Record<string, number> = {};
    const missing: string[] = [];
    for (let f = 0; f < names.length; f++) {
      values[names[f]] = batch.values[i * batch.width + f];
      if (batch.missing[i * batch.width + f]) missing.push(names[f]);
    }
    return {
      requestId: d?.payload.requestId ?? checkoutId,
      checkoutId,
      region: region.get(r.eventId) ?? 'eu',
      modelVersion: o.modelVersion,
      featureSetVersion: String(checkoutFeatureSet.version),
      time: r.time,
      values,
      missing,
      score: d?.payload.score ?? null,
      action: d?.payload.action ?? 'allow',
    };
  };
  return {
    start,
    events,
    served: requests.map((r, i) => toServed(r, i)),
    servedWithoutDevice: withoutDevice.map((r, i) => toServed(r, requests.length + i)),
  };
}
