import { parseRiskEvent, TOPICS } from '@risk/contract-events';
import { createEventLog } from '@risk/event-log';
import type { EventLog, Subscription } from '@risk/event-log';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { EventLogAlertSink, FreshnessMonitor, InMemoryReferenceStore, MonitoringMetrics, MonitoringService, RegistryReferenceStore } from '@risk/monitoring';
import type { ReferenceStore } from '@risk/monitoring';
import { RegistryClient } from '@risk/registry-client';
import type { Logger } from '@risk/util-logging';
import type { MonitorConfig } from './monitor.config';

/** Wires the event log, the reference store and the monitoring service; runs the evaluation timers. */
export class MonitorRuntime {
  readonly metrics = new MonitoringMetrics();
  service!: MonitoringService;
  log!: EventLog;
  private sub: Subscription | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  ingested = 0;
  rejected = 0;

  constructor(
    readonly config: MonitorConfig,
    private readonly logger: Logger,
    private readonly references?: ReferenceStore,
  ) {}

  async start(): Promise<void> {
    const c = this.config;
    this.log = await createEventLog({ backend: 'redis', redisUrl: c.EVENT_LOG_REDIS_URL, keyPrefix: c.EVENT_LOG_KEY_PREFIX, defaultPartitions: c.EVENT_LOG_PARTITIONS, region: c.REGION }, { logger: this.logger });
    const references =
      this.references ??
      (c.REGISTRY_URL ? new RegistryReferenceStore(new RegistryClient({ baseUrl: c.REGISTRY_URL, token: c.REGISTRY_TOKEN }), { baseUrl: c.REGISTRY_URL, token: c.REGISTRY_TOKEN }) : new InMemoryReferenceStore());
    const watches = c.LAG_WATCH.map((w) => {
      const [group, topic] = w.split('@');
      return { group, topics: [topic ?? TOPICS.checkoutEvents] };
    });
    this.service = new MonitoringService({
      featureSet: checkoutFeatureSet,
      references,
      alerts: new EventLogAlertSink(this.log),
      metrics: this.metrics,
      logger: this.logger,
      windowMs: c.WINDOW_MINUTES * 60_000,
      thresholds: { featurePsi: c.FEATURE_PSI_THRESHOLD, scorePsi: c.SCORE_PSI_THRESHOLD, actionMix: c.ACTION_MIX_THRESHOLD, minSamples: c.MIN_SAMPLES },
      maturityDays: c.MATURITY_DAYS,
      freshness: new FreshnessMonitor(c.REGION, this.log, watches, { minLag: c.LAG_ALERT_MIN, stalledPolls: c.LAG_ALERT_POLLS, maxP95AgeSeconds: 300, minAgeSamples: 50 }),
    });
    this.sub = await this.log.subscribe({
      group: c.CONSUMER_GROUP,
      consumer: c.CONSUMER_NAME,
      topics: [TOPICS.decisions, TOPICS.checkoutEvents, TOPICS.labels],
      blockMs: 500,
      handler: async (m) => {
        let event;
        try {
          event = parseRiskEvent(m.value);
        } catch {
          this.rejected++;
          return;
        }
        this.service.ingestEvent(event);
        this.ingested++;
      },
    });
    const every = (ms: number, fn: () => Promise<unknown> | unknown, what: string): void => {
      const t = setInterval(() => {
        Promise.resolve()
          .then(fn)
          .catch((err: unknown) => this.logger.error({ err: (err as Error).message }, `${what} failed`));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(c.EVAL_INTERVAL_MS, () => this.service.evaluate(Date.now()), 'drift evaluation');
    every(c.LAG_POLL_MS, () => this.service.pollFreshness(), 'lag poll');
    every(c.MATURED_INTERVAL_MS, () => this.service.evaluateMatured(Date.now()), 'matured-label evaluation');
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.sub?.stop({ timeoutMs: 5000 });
    await this.log?.close({ timeoutMs: 5000 });
  }
}
