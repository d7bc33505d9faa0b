import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** `port`: restart on a known port (e.g. after a kill); otherwise a free random 63xx port. */
export async function startOwnedRedis(fixedPort?: number): Promise<OwnedRedis> {
  for (let attempt = 0; attempt < (fixedPort ? 1 : 5); attempt++) {
    const port = fixedPort ?? 6300 + Math.floor(Math.random() * 100);
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

export interface OwnedRedisCluster {
  nodes: string[];
  kill(): Promise<void>;
}

/** Three test-owned masters on 63xx ports, joined with `redis-cli --cluster create`. */
export async function startOwnedRedisCluster(): Promise<OwnedRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'el-cluster-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const base = 6300 + Math.floor(Math.random() * 97);
    const ports = [base, base + 1, base + 2];
    if ((await Promise.all(ports.map(isListening))).some(Boolean)) continue;
    const children = ports.map((port) =>
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
          '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir],
        { stdio: 'ignore' },
      ),
    );
    const killAll = async (): Promise<void> => {
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => (c.once('exit', r), c.kill('SIGKILL'))) : undefined)));
    };
    try {
      await waitFor(async () => (await Promise.all(ports.map(isListening))).every(Boolean), 5_000, 'cluster nodes', 25);
      execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore', timeout: 15_000 });
      await waitFor(
        () => ports.every((p) => execFileSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { timeout: 2_000 }).toString().includes('cluster_state:ok')),
        15_000,
        'cluster_state:ok',
        100,
      );
    } catch {
      await killAll();
      continue;
    }
    return {
      nodes: ports.map((p) => `redis://127.0.0.1:${p}`),
      kill: async () => {
        await killAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('could not start a test-owned Redis Cluster');
}
