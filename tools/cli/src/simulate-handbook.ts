import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { HANDBOOK_DEFAULTS, simulateHandbook, writeHandbookCsv } from '@risk/simulators';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const program = new Command('simulate:handbook')
  .description('Simulate the Fraud Detection Handbook dataset and write the raw transaction CSV.')
  .requiredOption('--out <csv>', 'output CSV path')
  .option('--customers <n>', 'number of customers', int('customers'), HANDBOOK_DEFAULTS.customers)
  .option('--terminals <n>', 'number of terminals', int('terminals'), HANDBOOK_DEFAULTS.terminals)
  .option('--days <n>', 'number of days', int('days'), HANDBOOK_DEFAULTS.days)
  .option('--start-date <date>', 'first day, YYYY-MM-DD', HANDBOOK_DEFAULTS.startDate)
  .option('--seed <n>', 'random seed', int('seed'), HANDBOOK_DEFAULTS.seed)
  .parse(process.argv);

interface Opts {
  out: string;
  customers: number;
  terminals: number;
  days: number;
  startDate: string;
  seed: number;
}

async function main(): Promise<void> {
  const o = program.opts<Opts>();
  const started = process.hrtime.bigint();
  const dataset = simulateHandbook({ customers: o.customers, terminals: o.terminals, days: o.days, startDate: o.startDate, seed: o.seed });
  const simulatedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const out = resolve(o.out);
  mkdirSync(dirname(out), { recursive: true });
  const { rows, bytes } = await writeHandbookCsv(dataset, out);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const s = dataset.summary();
  const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
  const lines = [
    `wrote ${out} (${(bytes / 1e6).toFixed(1)} MB)`,
    `rows:                      ${rows}`,
    `frauds:                    ${s.frauds}`,
    `fraud rate:                ${pct(s.fraudRate)}`,
    `scenario shares of frauds: 1=${pct(s.scenarioShares[1])} (${s.scenarioCounts[1]})  2=${pct(s.scenarioShares[2])} (${s.scenarioCounts[2]})  3=${pct(
      s.scenarioShares[3],
    )} (${s.scenarioCounts[3]})`,
    `frauds/day:                ${s.fraudsPerDay.toFixed(1)} (after day ${o.days > HANDBOOK_DEFAULTS.terminalCompromiseDays ? HANDBOOK_DEFAULTS.terminalCompromiseDays : 0}: ${s.fraudsPerDaySteady.toFixed(1)})`,
    `compromised cards/day:     ${s.compromisedCardsPerDay.toFixed(1)} (after day ${o.days > HANDBOOK_DEFAULTS.terminalCompromiseDays ? HANDBOOK_DEFAULTS.terminalCompromiseDays : 0}: ${s.compromisedCardsPerDaySteady.toFixed(1)})`,
    `elapsed:                   ${(elapsedMs / 1000).toFixed(2)} s (simulate ${(simulatedMs / 1000).toFixed(2)} s, write ${((elapsedMs - simulatedMs) / 1000).toFixed(2)} s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate:handbook failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
