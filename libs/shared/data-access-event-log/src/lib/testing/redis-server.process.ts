import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { waitFor } from './wait-for';

/** A throw-away redis-server owned by one test, so the test can stop or kill it without touching the shared one. */
export interface OwnedRedis {
  port: number;
  url: string;
  pause(): void;
  resume(): void;
  kill(): Promise<void>;
}

export async function startOwnedRedis(): Promise<OwnedRedis> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 6300 + Math.floor(Math.random() * 100);
    if (await isListening(port)) continue;
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      await waitFor(() => child.exitCode === null && isListening(port), 3_000, `redis-server on ${port}`, 25);
    } catch {
      child.kill('SIGKILL');
      continue;
    }
    return ownedRedis(child, port);
  }
  throw new Error('could not start a test-owned redis-server');
}

function ownedRedis(child: ChildProcess, port: number): OwnedRedis {
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
