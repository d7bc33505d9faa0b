import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * `npm start`: a thin entry that runs the demo project (tools/demo) in a child process. The demo is an e2e-type
 * project, which an app-type project may not import; signals are forwarded and the exit code passed through.
 */
const child = spawn(process.execPath, ['-r', './tools/node/register.js', 'tools/demo/src/main.ts', ...process.argv.slice(2)], {
  cwd: resolve(__dirname, '../../..'),
  stdio: 'inherit',
});
let forwarded = 0;
const forward = (sig: NodeJS.Signals): void => {
  // A terminal's Ctrl-C reaches the whole process group already; forward only what was sent to us alone.
  if (Date.now() - forwarded > 1000) child.kill(sig);
  forwarded = Date.now();
};
process.on('SIGINT', () => forward('SIGINT'));
process.on('SIGTERM', () => forward('SIGTERM'));
process.on('SIGHUP', () => forward('SIGHUP'));
child.once('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
