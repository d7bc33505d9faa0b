import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { Pool } from 'pg';
import {
  createDataSource,
  HandbookCsvDataSource,
  parseTrainingJobRequest,
  runTrainingJob,
  toTrainingJobCommand,
  type TrainingJobProgress,
} from '@risk/training';

const program = new Command('train')
  .description('Runs a training job locally (progress bar, rows/s) or enqueues it on the trainer API (--enqueue).')
  .option('--request <json>', 'job request file (the POST /v1/training-jobs body); flags below override it')
  .option('--job-key <key>', 'idempotency key', `local-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  .option('--model-type <t>', 'logistic | mlp | gbdt | blend')
  .option('--csv <path>', 'raw handbook CSV (featurized through the feature engine; cached under tmp/)')
  .option('--simulate <c,t,d>', 'in-memory handbook simulator: customers,terminals,days (from 2018-04-01)')
  .option('--marketplace-sim <seed,shoppers,days>', 'in-memory marketplace simulator (checkout feature set via the batch engine)')
  .option('--marketplace-jsonl <path>', 'marketplace contract events, one JSON per line (simulate:marketplace output)')
  .option('--served-log <region>', 'the served-feature log of a region (needs --database-url; window from --train/--eval or --window)')
  .option('--window <from..to>', 'served-log data window (split 80/20 into train/evaluation when --train/--eval are absent)')
  .option('--database-url <url>', 'PostgreSQL holding "ServedFeatureVector"', 'postgresql://postgres@127.0.0.1:5432/test')
  .option('--train <from..to>', 'training window, e.g. 2018-04-15..2018-07-31')
  .option('--eval <from..to>', 'evaluation window')
  .option('--cutoff <date>', 'maturity cut-off (labels arriving later are unknown)')
  .option('--chargeback-days <n>', 'chargeback window in days (handbook labels arrive after 7)', Number)
  .option('--seed <n>', 'seed', Number)
  .option('--trees <n>', 'GBDT trees', Number)
  .option('--artifacts <dir>', 'where bundles are written', 'artifacts/models')
  .option('--enqueue', 'POST the job to the trainer instead of running it here')
  .option('--url <url>', 'trainer base URL', 'http://127.0.0.1:3004')
  .parse(process.argv);

interface Opts {
  request?: string;
  jobKey: string;
  modelType?: string;
  csv?: string;
  simulate?: string;
  marketplaceSim?: string;
  marketplaceJsonl?: string;
  servedLog?: string;
  window?: string;
  databaseUrl: string;
  train?: string;
  eval?: string;
  cutoff?: string;
  chargebackDays?: number;
  seed?: number;
  trees?: number;
  artifacts: string;
  enqueue?: boolean;
  url: string;
}

const win = (s: string) => {
  const [from, to] = s.split('..');
  return { from, to };
};

function buildRequest(o: Opts): Record<string, unknown> {
  const base: Record<string, unknown> = o.request ? JSON.parse(readFileSync(o.request, 'utf8')) : {};
  const req: Record<string, unknown> = { ...base, jobKey: base.jobKey ?? o.jobKey };
  if (o.modelType) req.modelType = o.modelType;
  if (o.csv) req.dataSource = { kind: 'handbook-csv', path: o.csv };
  if (o.simulate) {
    const [customers, terminals, days] = o.simulate.split(',').map(Number);
    req.dataSource = { kind: 'handbook-simulated', customers, terminals, days };
  }
  if (o.marketplaceSim) {
    const [seed, shoppers, days] = o.marketplaceSim.split(',').map(Number);
    req.dataSource = { source: 'marketplace-sim', seed, shoppers, days };
  }
  if (o.marketplaceJsonl) req.dataSource = { source: 'marketplace-jsonl', path: o.marketplaceJsonl };
  if (o.servedLog) req.dataSource = { source: 'served-log', region: o.servedLog, ...(o.window ? { window: win(o.window) } : {}) };
  if (o.train) req.trainWindow = win(o.train);
  if (o.eval) req.evaluationWindow = win(o.eval);
  if (o.cutoff) req.maturityCutoff = o.cutoff;
  if (o.chargebackDays !== undefined) req.chargebackWindowDays = o.chargebackDays;
  if (o.seed !== undefined) req.seed = o.seed;
  if (o.trees) req.hyperparameters = { ...(req.hyperparameters as object), gbdt: { nTrees: o.trees, maxBins: 256 } };
  return req;
}

function bar(): { update: (p: TrainingJobProgress) => void; stop: () => void } {
  const b = new SingleBar(
    { format: '{phase} |{bar}| {percentage}% | {rows} rows | {rps} rows/s | {detail}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  b.start(100, 0, { phase: 'load', rows: 0, rps: 0, detail: '' });
  return {
    update: (p) => b.update(Math.round(p.percent), { phase: p.phase.padEnd(8), rows: p.rows, rps: Math.round(p.rowsPerSecond), detail: p.detail ?? '' }),
    stop: () => b.stop(),
  };
}

async function enqueue(o: Opts, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${o.url}/v1/training-jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const job = (await res.json()) as { id: string; state: string };
  if (!res.ok) throw new Error(`enqueue failed (${res.status}): ${JSON.stringify(job)}`);
  console.log(`job ${job.id}: ${job.state}${res.status === 200 ? ' (already existed)' : ''}`);
  const b = bar();
  const deadline = Date.now() + 6 * 3600_000;
  for (;;) {
    const v = (await (await fetch(`${o.url}/v1/training-jobs/${encodeURIComponent(job.id)}`)).json()) as {
      state: string;
      progress: TrainingJobProgress | number;
      result: unknown;
      failedReason: string | null;
    };
    if (typeof v.progress === 'object') b.update(v.progress);
    if (['completed', 'failed', 'cancelled'].includes(v.state) || Date.now() > deadline) {
      b.stop();
      console.log(JSON.stringify({ state: v.state, failedReason: v.failedReason, result: summary(v.result) }, null, 2));
      if (v.state !== 'completed') process.exitCode = 1;
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function summary(r: unknown): unknown {
  if (!r || typeof r !== 'object') return r;
  const { parityProbe: _p, ...rest } = r as Record<string, unknown>;
  const ev = rest.evaluation as Record<string, unknown> | undefined;
  if (ev) rest.evaluation = { ...ev, bySegment: '(see registry)' };
  return rest;
}

async function main(): Promise<void> {
  const o = program.opts<Opts>();
  const req = parseTrainingJobRequest(buildRequest(o));
  if (o.enqueue) return enqueue(o, buildRequest(o));
  const cmd = toTrainingJobCommand(req);
  const pool = req.dataSource.kind === 'served-log' ? new Pool({ connectionString: o.databaseUrl, max: 2 }) : undefined;
  // Local runs may read files anywhere (the API confines them to its DATA_DIR).
  const dataSource =
    req.dataSource.kind === 'handbook-csv'
      ? new HandbookCsvDataSource(resolve(req.dataSource.path), resolve(`tmp/${basename(req.dataSource.path)}.features.bin`))
      : req.dataSource.kind === 'marketplace-jsonl'
        ? createDataSource(req.dataSource, dirname(resolve(req.dataSource.path)))
        : createDataSource(req.dataSource, 'tmp', { pool });
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const b = bar();
  const res = await runTrainingJob(cmd, {
    dataSource,
    codeCommit: commit,
    signal: ac.signal,
    onProgress: b.update,
    saveArtifact: async (name, key, bytes) => {
      const dir = resolve(o.artifacts, name);
      mkdirSync(dir, { recursive: true });
      const p = join(dir, `${key}.bundle.json`);
      writeFileSync(p, bytes);
      return p;
    },
  }).finally(() => {
    b.stop();
    void pool?.end();
  });
  console.log(JSON.stringify(summary(res), null, 2));
  const t = res.timings;
  console.log(
    `\ntrain rows: ${res.labels.counts.fraud + res.labels.counts.legitimate + res.labels.counts.provisional} labelled ` +
      `(${res.labels.counts.excludedImmature} immature excluded); load ${t.loadSeconds.toFixed(1)} s, train ${t.trainSeconds.toFixed(1)} s ` +
      `(${Math.round(t.trainRowsPerSecond)} rows/s), total ${t.totalSeconds.toFixed(1)} s`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
