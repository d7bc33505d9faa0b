/**
 * Training throughput on 100k x 15 synthetic rows for LR, MLP (tfjs, chosen backend) and GBDT (plain TS).
 * Run: node -r ./tools/node/register.js libs/ml/util-ml/src/bench/train-throughput.bench.ts [rows]
 */
import { loadavg } from 'node:os';
import { initBackend } from '../lib/backend/tf-backend';
import { makeSyntheticFraudData } from '../lib/data/synthetic-data';
import { trainGbdt } from '../lib/models/gbdt.trainer';
import { LOGISTIC_DEFAULTS, MLP_DEFAULTS, trainNetwork } from '../lib/models/network.trainer';
import { fitStandardScaler, transformDataset } from '../lib/preprocessing/standard-scaler';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 100_000);
  const backend = await initBackend();
  const raw = makeSyntheticFraudData(rows, 15, 1);
  const scaled = transformDataset(fitStandardScaler(raw), raw);
  console.log(`rows=${rows} features=15 backend=${backend} loadavg=${loadavg()[0].toFixed(1)}`);

  const results: [string, number, string][] = [];
  for (const [name, cfg] of [
    ['logistic', { ...LOGISTIC_DEFAULTS, epochs: 3, patience: 99 }],
    ['mlp 64-32', { ...MLP_DEFAULTS, epochs: 2, patience: 99 }],
  ] as const) {
    const t = performance.now();
    const r = await trainNetwork({ train: scaled, config: cfg });
    const s = (performance.now() - t) / 1000;
    r.model.dispose();
    results.push([name, r.rowsPerSecond, `${cfg.epochs} epochs, batch ${cfg.batchSize}, ${s.toFixed(2)} s`]);
  }
  const nTrees = 50;
  const t = performance.now();
  const g = await trainGbdt({ train: raw, config: { nTrees, maxDepth: 6, rowSubsample: 1, colSubsample: 1, earlyStoppingRounds: 1e9 } });
  const s = (performance.now() - t) / 1000;
  results.push(['gbdt depth 6', g.rowsPerSecond, `${nTrees} trees (rows x trees / s), ${((s / nTrees) * 1000).toFixed(1)} ms/tree, ${s.toFixed(2)} s incl. binning`]);
  for (const [name, rps, note] of results) console.log(`${name.padEnd(14)} ${Math.round(rps).toLocaleString('en-US').padStart(12)} rows/s  (${note})`);
}

void main();
