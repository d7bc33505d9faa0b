import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { TOPICS, type RiskEvent } from '@risk/contract-events';
import { createEventLog, type EventLog } from '@risk/event-log';
import { MARKETPLACE_DEFAULTS, defaultPeak, writeMarketplaceJsonl } from '@risk/simulators';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const program = new Command('simulate:marketplace')
  .description('Simulate marketplace checkouts and write the contract events as JSONL (optionally publish them to the event log).')
  .requiredOption('--out <jsonl>', 'output JSONL path')
  .option('--shoppers <n>', 'number of shoppers', int('shoppers'), MARKETPLACE_DEFAULTS.shoppers)
  .option('--merchants <n>', 'merchant population (production ~3.5M; scaled down)', int('merchants'), MARKETPLACE_DEFAULTS.merchants)
  .option('--days <n>', 'number of days', int('days'), MARKETPLACE_DEFAULTS.days)
  .option('--start-date <date>', 'first day, YYYY-MM-DD (UTC)', MARKETPLACE_DEFAULTS.startDate)
  .option('--seed <n>', 'random seed', int('seed'), MARKETPLACE_DEFAULTS.seed)
  .option('--peak', 'add a peak event (ramp to 9x in 5 min, hold 45 min) on the middle day at 19:00 UTC', false)
  .option('--peak-multiplier <n>', 'peak multiplier', int('peak-multiplier'), 9)
  .option('--publish', 'also publish every event to the event log (Redis Streams)', false)
  .option('--redis-url <url>', 'event-log Redis URL (with --publish)', 'redis://127.0.0.1:6379')
  .option('--key-prefix <prefix>', 'event-log key prefix (with --publish)', 'el')
  .parse(process.argv);

interface Opts {
  out: string;
  shoppers: number;
  merchants: number;
  days: number;
  startDate: string;
  seed: number;
  peak: boolean;
  peakMultiplier: number;
  publish: boolean;
  redisUrl: string;
  keyPrefix: string;
}

/** Topic and partition key of each event type, as documented in TOPICS. */
function route(e: RiskEvent): { topic: string; key: string } {
  if (e.type === 'decision.made') return { topic: TOPICS.decisions, key: e.payload.checkoutId };
  if (e.type === 'chargeback.received' || e.type === 'label.confirmed') return { topic: TOPICS.labels, key: e.payload.subject.accountToken };
  return { topic: TOPICS.checkoutEvents, key: e.payload.subject.accountToken };
}

async function main(): Promise<void> {
  const o = program.opts<Opts>();
  const out = resolve(o.out);
  mkdirSync(dirname(out), { recursive: true });
  let log: EventLog | undefined;
  let published = 0;
  const batch: { topic: string; key: string; value: RiskEvent }[] = [];
  if (o.publish) log = await createEventLog({ backend: 'redis', redisUrl: o.redisUrl, keyPrefix: o.keyPrefix, publishMode: 'blocking' });
  const started = process.hrtime.bigint();
  try {
    const { stats, bytes } = await writeMarketplaceJsonl(
      {
        shoppers: o.shoppers,
        merchants: o.merchants,
        days: o.days,
        startDate: o.startDate,
        seed: o.seed,
        ...(o.peak ? { peak: defaultPeak(Math.floor(o.days / 2), o.peakMultiplier) } : {}),
      },
      out,
      log
        ? {
            onEvent: async (event) => {
              batch.push({ ...route(event), value: event });
              if (batch.length >= 500) {
                await log?.publishBatch(batch.splice(0));
                published += 500;
              }
            },
          }
        : {},
    );
    if (log && batch.length) {
      published += batch.length;
      await log.publishBatch(batch.splice(0));
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
    const lines = [
      `wrote ${out} (${(bytes / 1e6).toFixed(1)} MB)`,
      `checkouts:        ${stats.checkouts}`,
      `frauds:           ${stats.frauds} (${pct(stats.frauds / Math.max(1, stats.checkouts))})`,
      `by scenario:      ${JSON.stringify(stats.fraudsByScenario)}`,
      `events:           ${stats.events}`,
      `by type:          ${JSON.stringify(stats.eventsByType)}`,
      `labels:           ${JSON.stringify(stats.labelsBySource)}`,
      `event time span:  ${new Date(stats.firstEventMs).toISOString()} .. ${new Date(stats.lastEventMs).toISOString()}`,
    ];
    if (o.peak) {
      const p = defaultPeak(Math.floor(o.days / 2), o.peakMultiplier);
      const holdFrom = p.startMinute + p.rampUpMinutes;
      lines.push(
        `peak:             ${stats.meanRate(holdFrom, holdFrom + p.holdMinutes).toFixed(1)} checkouts/min in the hold vs ${stats
          .meanRate(p.startMinute - 1440, p.startMinute - 1440 + p.rampUpMinutes + p.holdMinutes)
          .toFixed(1)} same time the day before`,
      );
    }
    if (log) lines.push(`published:        ${published} events to Redis Streams (${o.redisUrl}, prefix ${o.keyPrefix})`);
    lines.push(`elapsed:          ${elapsed.toFixed(2)} s (${Math.round(stats.events / elapsed)} events/s)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await log?.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate:marketplace failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
