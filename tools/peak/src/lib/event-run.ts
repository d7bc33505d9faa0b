import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes';

export interface EventRunResult {
  acked: string[];
  unpublished: number;
  retries: number;
}

/** Publishes marketplace events to the event log from a separate process (see event-worker.ts). */
export function startEvents(o: { redisUrl: string; rate: number; durationS: number; runId: string }): { pid: number; done: Promise<EventRunResult> } {
  const child = fork(join(ROOT, 'tools/peak/src/event-worker.ts'), [JSON.stringify({ ...o, region: 'eu', seed: 7 })], { cwd: ROOT, execArgv: ['-r', './tools/node/register.js'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const done = new Promise<EventRunResult>((resolve) => {
    let result: EventRunResult = { acked: [], unpublished: -1, retries: 0 };
    child.on('message', (m: { type: string } & EventRunResult) => {
      if (m.type === 'events-done') result = m;
    });
    child.on('exit', () => resolve(result));
  });
  return { pid: child.pid as number, done };
}
