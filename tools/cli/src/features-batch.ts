// Point-in-time feature batch: `npm run features:batch -- --feature-set handbook --raw <csv> --out <csv>`.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import { formatFeatureRow, handbookColumnIndex, handbookFeatureSet, HandbookReplay, parseHandbookRow } from '@risk/feature-sets';
import type { HandbookColumnIndex } from '@risk/feature-sets';

interface Options {
  featureSet: string;
  raw: string;
  out: string;
}

export async function runHandbookBatch(rawPath: string, outPath: string): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const out = createWriteStream(outPath);
  const width = handbookFeatureSet.featureNames.length;
  let chunk: string[] = [`TRANSACTION_ID,${handbookFeatureSet.featureNames.join(',')}`];
  const replay = new HandbookReplay((id, row) => chunk.push(formatFeatureRow(id, row.values, width)));
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const text = chunk.join('\n') + '\n';
    chunk = [];
    if (!out.write(text)) await once(out, 'drain');
  };

  let idx: HandbookColumnIndex | undefined;
  let lineNo = 0;
  const onLine = (line: string): void => {
    lineNo++;
    if (line.length === 0) return;
    const fields = line.split(',');
    if (!idx) idx = handbookColumnIndex(fields);
    else replay.push(parseHandbookRow(fields, idx, lineNo));
  };
  // Chunked read with back-pressure: only one chunk of the input is held at a time.
  let rest = '';
  for await (const piece of createReadStream(rawPath, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (piece as string);
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(from, nl - 1) : text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
    if (chunk.length >= 8192) await flush();
  }
  if (rest.length) onLine(rest.replace(/\r$/, ''));
  replay.finish();
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows: replay.rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('features:batch')
    .description('Writes TRANSACTION_ID plus the feature columns for every row of a raw CSV, as of each row’s own time.')
    .requiredOption('--feature-set <name>', 'feature set (handbook)')
    .requiredOption('--raw <csv>', 'raw CSV, ordered by time')
    .requiredOption('--out <csv>', 'output CSV')
    .parse(process.argv);
  const opts = program.opts<Options>();
  if (opts.featureSet !== 'handbook') {
    program.error(`unsupported --feature-set "${opts.featureSet}" (raw CSV batches exist for: handbook)`);
  }
  const { rows, seconds } = await runHandbookBatch(opts.raw, opts.out);
  process.stdout.write(`features:batch ${opts.featureSet}: ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s -> ${opts.out}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`features:batch failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
