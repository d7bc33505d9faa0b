import 'reflect-metadata';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { FULL_PROFILE, QUICK_PROFILE } from './lib/demo.options';
import { DemoRunner } from './lib/demo.runner';

/**
 * `npm start [-- --quick]`: the whole platform end to end (issue 10). Exit 0 only if every step succeeded,
 * 130 on Ctrl-C (children stopped, schema dropped), 1 otherwise.
 */
async function main(): Promise<void> {
  const program = new Command()
    .name('demo')
    .option('--quick', 'CI profile: smaller traffic and shorter bake times (a few minutes)', false)
    .option('--summary <file>', 'where the final summary JSON goes', 'tmp/demo-summary.json')
    .option('--free-ports', 'always use free ports instead of 3001-3005', false)
    .option('--keep-running', 'after the summary, keep the apps up until Ctrl-C', false)
    .parse(process.argv);
  const o = program.opts<{ quick: boolean; summary: string; freePorts: boolean; keepRunning: boolean }>();
  const runner = new DemoRunner({
    profile: o.quick ? QUICK_PROFILE : FULL_PROFILE,
    summaryPath: resolve(o.summary),
    freePorts: o.freePorts,
    keepRunning: o.keepRunning,
    tty: !!process.stdout.isTTY,
    env: process.env,
  });
  let firstSignalAt = 0;
  let finished = false;
  let running: Promise<unknown> = Promise.resolve();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (finished) return void runner.cleanup().then(() => process.exit(0));
    // npm and the thin entry may relay the terminal's Ctrl-C a second time: only a later one forces.
    if (firstSignalAt && Date.now() - firstSignalAt < 1500) return;
    if (firstSignalAt) {
      runner.killAll();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    process.stdout.write(`\n${sig}: stopping the demo (again to force)...\n`);
    runner.interrupt();
    // Let the current step unwind and the summary be written, then stop every child; bounded.
    const force = setTimeout(() => {
      runner.killAll();
      process.exit(130);
    }, 30_000);
    void running
      .catch(() => undefined)
      .then(() => runner.cleanup())
      .then(() => {
        clearTimeout(force);
        process.exit(130);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const run = runner.run();
  running = run;
  let summary;
  try {
    summary = await run;
  } catch (err) {
    // An unexpected error must not orphan the apps.
    await runner.cleanup();
    throw err;
  }
  if (runner.aborted) return; // the signal handler exits once cleanup is done
  if (o.keepRunning) {
    finished = true;
    process.stdout.write('Apps keep running; Ctrl-C to stop.\n');
    return;
  }
  await runner.cleanup();
  process.exit(summary.ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
