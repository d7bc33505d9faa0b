// chaos — runs tools/peak's orchestrator (an e2e project; apps run as child processes). See docs/peak-results.md.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const r = spawnSync(process.execPath, ['-r', './tools/node/register.js', 'tools/peak/src/chaos.main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
