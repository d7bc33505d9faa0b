import { checkoutFeatureSet } from '@risk/feature-sets';
import { createLogger } from '@risk/util-logging';
import { RecordingAlertSink } from './alerts/alert.tracker';
import { MonitoringMetrics } from './metrics/monitoring.metrics';
import { MonitoringService } from './monitoring.service';
import type { ServedVector } from './monitoring.types';
import { MONITORING_ALERTS } from './monitoring.types';
import { buildTrainingReference, InMemoryReferenceStore } from './reference/training-reference';
import { ConsistencyJob, InMemoryEventHistory } from './skew/consistency.job';
import { buildMarketplaceFixture } from './testing/marketplace.fixture';
import type { MarketplaceFixture } from './testing/marketplace.fixture';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MV = 'mv-sim-1';
const DRIFT_REGION = 'us';
// Days 0-7 warm the simulated history up, days 7-14 are the training window, days 14-21 are served live.
const TRAIN_FROM = 7;
const LIVE_FROM = 14;
const DAYS = 21;
const WINDOW = 48 * HOUR;
const STEP = 6 * HOUR;

let fx: MarketplaceFixture;
let store: InMemoryReferenceStore;

beforeAll(async () => {
  fx = buildMarketplaceFixture({ days: DAYS, shoppers: 3000, seed: 11, modelVersion: MV, driftRegion: DRIFT_REGION, driftFromDay: LIVE_FROM });
  const names = checkoutFeatureSet.featureNames;
  const train = fx.served.filter((v) => v.time >= fx.start + TRAIN_FROM * DAY && v.time < fx.start + LIVE_FROM * DAY);
  const values = new Float64Array(train.length * names.length);
  const missing = new Uint8Array(train.length * names.length);
  train.forEach((v, i) =>
    names.forEach((n, f) => {
      values[i * names.length + f] = v.values[n];
      missing[i * names.length + f] = v.missing?.includes(n) ? 1 : 0;
    }),
  );
  store = new InMemoryReferenceStore();
  await store.save(
    buildTrainingReference({
      modelVersion: MV,
      featureSetVersion: '1',
      featureNames: names,
      defaults: checkoutFeatureSet.defaults,
      values,
      missing,
      scores: train.map((v) => v.score ?? 0),
      actions: train.map((v) => v.action),
      regions: train.map((v) => v.region),
    }),
  );
}, 80_000);

function service(extra: { consistency?: ConsistencyJob } = {}) {
  const alerts = new RecordingAlertSink();
  const svc = new MonitoringService({
    featureSet: checkoutFeatureSet,
    references: store,
    alerts,
    metrics: new MonitoringMetrics(),
    logger: createLogger({ name: 'monitoring-test', level: 'silent' }),
    windowMs: WINDOW,
    maturityDays: 14,
    ...extra,
  });
  return { svc, alerts };
}

/** Replays live served vectors in time order, evaluating every STEP; returns per-evaluation breaches. */
async function replayLive(svc: MonitoringService, vectors: readonly ServedVector[]): Promise<{ at: number; names: string[]; series: string[] }[]> {
  const live = vectors.filter((v) => v.time >= fx.start + LIVE_FROM * DAY).sort((a, b) => a.time - b.time);
  const out: { at: number; names: string[]; series: string[] }[] = [];
  let i = 0;
  for (let t = fx.start + LIVE_FROM * DAY + WINDOW; t <= fx.start + DAYS * DAY; t += STEP) {
    while (i < live.length && live[i].time < t) svc.ingestServed(live[i++]);
    const r = await svc.evaluate(t);
    out.push({ at: t, names: r.breaches.map((b) => b.name), series: r.breaches.map((b) => `${b.name}{${Object.entries(b.labels).map(([k, v]) => `${k}=${v}`).join(',')}}`) });
  }
  return out;
}

describe('monitoring on the marketplace simulator', () => {
  // Features whose longest window fits in the warm-up (7 d): 30/90-day features are still filling up in a 21-day simulation.
  const warm = new Set<string>(checkoutFeatureSet.features.filter((f) => f.kind === 'request' || f.window <= 7 * DAY).map((f) => f.name));
  let baseline: Set<string>;

  it('prints the false-positive rate of each alert on a drift-free simulated week', async () => {
    const { svc } = service();
    const evals = await replayLive(svc, fx.served);
    const rate = (pred: (s: string) => boolean): string => {
      const fired = evals.filter((e) => e.series.some(pred)).length;
      return `${fired}/${evals.length} evaluations (${((100 * fired) / evals.length).toFixed(1)}%)`;
    };
    const series = new Map<string, number>();
    for (const e of evals) for (const s of e.series) series.set(s, (series.get(s) ?? 0) + 1);
    const isWarm = (s: string): boolean => warm.has(/feature=([a-z0-9_]+)/.exec(s)?.[1] ?? '');
    const judged = svc.lastDrift?.features.length ?? 0;
    process.stdout.write(
      [
        `[drift-free week] ${evals.length} evaluations (48 h window every 6 h; judged ${judged} feature x region series per evaluation; skipped: ${JSON.stringify(svc.lastDrift?.skipped)})`,
        `  ${MONITORING_ALERTS.featureDrift} (all ${checkoutFeatureSet.featureNames.length} features): fired in ${rate((s) => s.startsWith(MONITORING_ALERTS.featureDrift))}`,
        `  ${MONITORING_ALERTS.featureDrift} (${warm.size} features with windows <= 7 d): fired in ${rate((s) => s.startsWith(MONITORING_ALERTS.featureDrift) && isWarm(s))}`,
        `  ${MONITORING_ALERTS.scoreDrift}: fired in ${rate((s) => s.startsWith(MONITORING_ALERTS.scoreDrift))}`,
        `  ${MONITORING_ALERTS.actionMixDrift}: fired in ${rate((s) => s.startsWith(MONITORING_ALERTS.actionMixDrift))}`,
        `  breaching series (evaluations): ${[...series].map(([s, n]) => `${s} x${n}`).join('; ') || 'none'}`,
        '',
      ].join('\n'),
    );
    baseline = new Set(series.keys());
    expect(evals.length).toBeGreaterThanOrEqual(20);
    expect(judged).toBeGreaterThan(100);
    expect(evals.filter((e) => e.names.includes(MONITORING_ALERTS.scoreDrift) || e.names.includes(MONITORING_ALERTS.actionMixDrift))).toEqual([]);
    expect([...series.keys()].some((s) => s.includes('feature=device_'))).toBe(false);
  }, 60_000);

  it('an injected drift (device id missing in one region) raises the drift alert for the device features of that region only', async () => {
    const { svc, alerts } = service();
    const drifted = new Set(fx.servedWithoutDevice.map((v) => v.checkoutId));
    const vectors = [...fx.served.filter((v) => !drifted.has(v.checkoutId)), ...fx.servedWithoutDevice];
    await replayLive(svc, vectors);
    const fired = alerts.alerts.filter((a) => a.name === MONITORING_ALERTS.featureDrift && a.status === 'firing');
    // Against the same week without the injection, the only new breaching series are device features of that region.
    const added = new Set(fired.map((a) => `${a.name}{feature=${a.labels['feature']},region=${a.labels['region']}}`).filter((s) => !baseline.has(s)));
    process.stdout.write(`[injected drift] new breaching series: ${[...added].join('; ')}\n`);
    expect(added.size).toBeGreaterThan(0);
    expect(added.has(`${MONITORING_ALERTS.featureDrift}{feature=device_checkouts_1h,region=${DRIFT_REGION}}`)).toBe(true);
    // device_* and new_device_for_account: every feature read from the device entity.
    for (const s of added) expect(s).toMatch(new RegExp(`feature=[a-z0-9_]*device[a-z0-9_]*,region=${DRIFT_REGION}}$`));
    const row = svc.lastDrift?.features.find((f) => f.feature === 'device_checkouts_1h' && f.region === DRIFT_REGION);
    expect(row?.missingRate).toBe(1);
    expect(row?.referenceMissingRate).toBeLessThan(0.2);
  }, 60_000);

  it('an injected skew (online computes card_checkouts_24h over 1 h) is caught by the consistency job with the feature named', async () => {
    const history = new InMemoryEventHistory(fx.events, (e) => (e.type === 'checkout.started' ? e.eventId.slice('checkout:'.length) : undefined));
    const job = new ConsistencyJob(checkoutFeatureSet, history);
    const live = fx.served.filter((v) => v.time >= fx.start + (DAYS - 2) * DAY);
    // Test-only transform on the "online" side before the vector is logged.
    const skewed = live.map((v) => ({ ...v, values: { ...v.values, card_checkouts_24h: v.values['card_checkouts_1h'] } }));
    const { svc, alerts } = service({ consistency: job });
    for (const v of skewed) svc.ingestServed(v);
    const report = await svc.runConsistency(150, fx.start + DAYS * DAY);
    expect(report?.sampled).toBe(150);
    expect(report?.unresolved).toBe(0);
    const breaches = alerts.alerts.filter((a) => a.name === MONITORING_ALERTS.trainingServingSkew);
    expect(breaches.map((a) => a.labels['feature'])).toEqual(['card_checkouts_24h']);
    const ids = breaches[0].details['exampleRequestIds'] as string[];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(skewed.some((v) => v.requestId === id && v.values['card_checkouts_24h'] !== fx.served.find((s) => s.requestId === id)?.values['card_checkouts_24h'])).toBe(true);
    const rate = report?.features.find((f) => f.feature === 'card_checkouts_24h')?.mismatchRate ?? 0;
    process.stdout.write(`[skew] card_checkouts_24h mismatch rate ${(rate * 100).toFixed(1)}% of ${report?.sampled} sampled; other features max ${Math.max(...(report?.features.filter((f) => f.feature !== 'card_checkouts_24h').map((f) => f.mismatchRate) ?? [0]))}\n`);
  }, 60_000);
});
