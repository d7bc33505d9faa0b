import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  DEFAULT_BENCHMARK_MODELS,
  featurizeHandbookCsv,
  frameCacheKey,
  PUBLISHED_HANDBOOK_RESULTS,
  readFrameCache,
  runHandbookBenchmark,
  writeFrameCache,
  type HandbookProtocol,
} from '@risk/training';

const program = new Command('bench:handbook')
  .description('Runs the Fraud Detection Handbook protocol end to end on a raw handbook CSV and compares with the published results.')
  .requiredOption('--raw <csv>', 'raw handbook transactions CSV')
  .requiredOption('--out <json>', 'metrics JSON output')
  .addOption(new Option('--protocol <p>', 'single split or prequential').choices(['single', 'prequential']).default('single'))
  .option('--predictions <csv>', 'write per-transaction test scores (TRANSACTION_ID,model,fold,score)')
  .option('--models <names>', `comma-separated subset of: ${DEFAULT_BENCHMARK_MODELS.map((m) => m.name).join(', ')}`)
  .option('--cache <path>', 'featured-frame cache (default tmp/<csv name>.features.bin)')
  .option('--seed <n>', 'seed', (v) => Number.parseInt(v, 10), 42)
  .parse(process.argv);

interface Opts {
  raw: string;
  out: string;
  protocol: HandbookProtocol;
  predictions?: string;
  models?: string;
  cache?: string;
  seed: number;
}

async function main(): Promise<void> {
  const o = program.opts<Opts>();
  const raw = resolve(o.raw);
  const cachePath = resolve(o.cache ?? `tmp/${basename(raw)}.features.bin`);
  const key = frameCacheKey(raw);
  let t = performance.now();
  let frame = readFrameCache(cachePath, key);
  if (frame) {
    console.log(`features: ${frame.n} rows from cache ${cachePath} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } else {
    frame = await featurizeHandbookCsv(raw, (n) => process.stderr.write(`\rfeaturizing ${n} rows`));
    const s = (performance.now() - t) / 1000;
    process.stderr.write('\n');
    console.log(`features: ${frame.n} rows through the feature engine in ${s.toFixed(1)} s (${Math.round(frame.n / s)} rows/s)`);
    writeFrameCache(cachePath, key, frame);
  }
  const wanted = o.models?.split(',').map((s) => s.trim());
  const models = wanted ? DEFAULT_BENCHMARK_MODELS.filter((m) => wanted.includes(m.name)) : DEFAULT_BENCHMARK_MODELS;
  t = performance.now();
  const result = await runHandbookBenchmark(frame, { protocol: o.protocol, models, seed: o.seed, onLog: (l) => console.log(l) });
  const seconds = (performance.now() - t) / 1000;

  const out = resolve(o.out);
  mkdirSync(dirname(out), { recursive: true });
  const json = {
    protocol: result.protocol,
    models: Object.fromEntries(
      Object.entries(result.models).map(([name, m]) => [
        name,
        { aucRoc: m.aucRoc, averagePrecision: m.averagePrecision, cardPrecisionAt100: m.cardPrecisionAt100, chosen: m.chosen, folds: m.folds, selection: m.selection },
      ]),
    ),
    source: { raw, rows: frame.n, seed: o.seed, seconds },
  };
  writeFileSync(out, JSON.stringify(json, null, 2));
  if (o.predictions) {
    const p = resolve(o.predictions);
    mkdirSync(dirname(p), { recursive: true });
    const ws = createWriteStream(p);
    ws.write('TRANSACTION_ID,model,fold,score\n');
    let buf = '';
    for (const r of result.predictions) {
      buf += `${r.transactionId},${r.model},${r.fold},${r.score}\n`;
      if (buf.length > 1 << 20) {
        ws.write(buf);
        buf = '';
      }
    }
    ws.write(buf);
    await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
    console.log(`predictions: ${result.predictions.length} rows -> ${p}`);
  }

  const f3 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '  -  ' : x.toFixed(3));
  const published = PUBLISHED_HANDBOOK_RESULTS[o.protocol];
  console.log(`\nHandbook benchmark, ${o.protocol} protocol (${seconds.toFixed(1)} s)`);
  console.log(`${'model'.padEnd(34)} ${'AUC ROC'.padStart(8)} ${'AP'.padStart(8)} ${'CP@100'.padStart(8)}`);
  for (const [name, m] of Object.entries(result.models)) {
    console.log(`${`this run: ${name}`.padEnd(34)} ${f3(m.aucRoc).padStart(8)} ${f3(m.averagePrecision).padStart(8)} ${f3(m.cardPrecisionAt100).padStart(8)}`);
  }
  for (const [name, m] of Object.entries(published)) {
    console.log(`${`published: ${name}`.padEnd(34)} ${f3(m.aucRoc).padStart(8)} ${f3(m.averagePrecision).padStart(8)} ${f3(m.cardPrecisionAt100).padStart(8)}`);
  }
  const best = PUBLISHED_HANDBOOK_RESULTS.bestAnywhere;
  console.log(`${'published: best anywhere in book'.padEnd(34)} ${f3(best.aucRoc).padStart(8)} ${f3(best.averagePrecision).padStart(8)} ${f3(best.cardPrecisionAt100).padStart(8)}`);
  console.log(`\nwrote ${out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
