import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { emptySecond, mergeInto } from './peak-report';
import type { LoadWorkerConfig, RateSchedule, SecondStats } from './peak.types';
import { ROOT } from './processes';

export interface LoadRunOptions {
  url: string;
  mode: LoadWorkerConfig['mode'];
  schedule: RateSchedule;
  processes: number;
  budgetMs: number;
  timeoutMs?: number;
  idPrefix: string;
  /** Seconds from now until second 0 (lets every worker finish building its request pool). */
  warmupS?: number;
  onSecond?: (s: SecondStats) => void;
}

/** A running multi-process open-model load; `done` resolves with the merged per-second stats. */
export interface LoadRun {
  /** Epoch ms of second 0, once every generator is ready. */
  started: Promise<number>;
  pids: number[];
  seconds: Map<number, SecondStats>;
  /** Client mode: checkout ids answered by the scorer (not by fail-open), filled when the workers finish. */
  scorerAnswered: string[];
  /** Client mode: answers for which a second (hedged or retried) request had been sent. */
  multiAttempt: { count: number };
  done: Promise<SecondStats[]>;
  kill(): void;
}

export function startLoad(o: LoadRunOptions): LoadRun {
  const t0 = 0;
  let readyCount = 0;
  let markStarted: (t: number) => void = () => undefined;
  const started = new Promise<number>((r) => (markStarted = r));
  const seconds = new Map<number, SecondStats>();
  const scorerAnswered: string[] = [];
  const multiAttempt = { count: 0 };
  const children: ChildProcess[] = [];
  const finished: Array<Promise<void>> = [];
  for (let i = 0; i < o.processes; i++) {
    const cfg: LoadWorkerConfig = {
      url: o.url,
      mode: o.mode,
      schedule: o.schedule,
      share: 1 / o.processes,
      seed: 101 + i,
      budgetMs: o.budgetMs,
      timeoutMs: o.timeoutMs ?? 2000,
      maxInFlight: 4000,
      idPrefix: `${o.idPrefix}w${i}-`,
      t0,
    };
    const child = fork(join(ROOT, 'tools/peak/src/load-worker.ts'), [JSON.stringify(cfg)], { cwd: ROOT, execArgv: ['-r', './tools/node/register.js'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    finished.push(
      new Promise((resolve) => {
        child.on('message', (m: { type: string; stats?: SecondStats; scorerAnswered?: string[]; multiAttempt?: number }) => {
          if (m.type === 'done' && m.scorerAnswered) for (const id of m.scorerAnswered) scorerAnswered.push(id);
          if (m.type === 'done') multiAttempt.count += m.multiAttempt ?? 0;
          if (m.type === 'ready' && ++readyCount === o.processes) {
            const start = Date.now() + (o.warmupS ?? 1) * 1000;
            for (const c of children) c.send({ t0: start });
            markStarted(start);
          }
          if (m.type !== 'second' || !m.stats) return;
          const cur = seconds.get(m.stats.second);
          if (cur) mergeInto(cur, m.stats);
          else seconds.set(m.stats.second, mergeInto(emptySecond(m.stats.second), m.stats));
          o.onSecond?.(m.stats);
        });
        child.on('exit', () => resolve());
      }),
    );
  }
  const done = Promise.all(finished).then(() => [...seconds.values()].sort((a, b) => a.second - b.second));
  return { started, pids: children.map((c) => c.pid as number), seconds, scorerAnswered, multiAttempt, done, kill: () => children.forEach((c) => c.kill('SIGKILL')) };
}
