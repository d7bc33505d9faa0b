// Online replay: `npm run features:replay -- --feature-set handbook --raw <csv> --out <csv> [--from YYYY-MM-DD]`.
import { Command } from 'commander';
import { runHandbookReplay } from './lib/features-replay';

interface Options {
  featureSet: string;
  raw: string;
  out: string;
  from?: string;
  redisUrl: string;
  region: string;
  keep?: boolean;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('features:replay')
    .description('Streams a raw CSV through the event log, the feature service ingest, Redis and the online read; writes the features read at each transaction.')
    .requiredOption('--feature-set <name>', 'feature set (handbook)')
    .requiredOption('--raw <csv>', 'raw CSV, ordered by time')
    .requiredOption('--out <csv>', 'output CSV (same columns as features:batch)')
    .option('--from <date>', 'write rows from this day (YYYY-MM-DD) onwards; earlier rows only build state')
    .option('--redis-url <url>', 'Redis for the event log and the online store', 'redis://127.0.0.1:6379')
    .option('--region <region>', 'region of the replayed events', 'eu')
    .option('--keep', 'keep the replay keys in Redis afterwards')
    .parse(process.argv);
  const opts = program.opts<Options>();
  if (opts.featureSet !== 'handbook') program.error(`unsupported --feature-set "${opts.featureSet}" (raw CSV replays exist for: handbook)`);
  if (opts.from && !/^\d{4}-\d{2}-\d{2}$/.test(opts.from)) program.error('--from must be YYYY-MM-DD');
  const r = await runHandbookReplay({ rawPath: opts.raw, outPath: opts.out, from: opts.from, redisUrl: opts.redisUrl, region: opts.region, keep: opts.keep });
  process.stdout.write(
    `features:replay ${opts.featureSet}: ${r.rows} rows (${r.events} events through the event log) in ${r.seconds.toFixed(1)} s = ${Math.round(r.rows / r.seconds)} rows/s, ${r.written} written -> ${opts.out}\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`features:replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
