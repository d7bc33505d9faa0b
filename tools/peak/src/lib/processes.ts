import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';

export const ROOT = resolve(__dirname, '../../../..');
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** RSS of a live process in MiB from /proc (null once it is gone). */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a live process has used, from /proc/<pid>/stat (null once it is gone). */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (clock ticks; 100 Hz on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Polls `check` every 100 ms until it resolves true or `timeoutMs` passes; returns the time it took, or null. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      if (await check()) return Date.now() - t0;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  return null;
}

export async function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  return res.ok;
}

const exited = (p: ChildProcess): Promise<void> => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

/** A test-owned redis-server on its own port (never the shared 6379); debug commands on for DEBUG SLEEP. */
export class OwnedRedis {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'peak-redis-'));
  constructor(
    readonly port: number,
    private readonly durable = false,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir, '--enable-debug-command', 'local'];
    // The event log's Redis keeps acknowledged records across a SIGKILL (what a Kafka broker guarantees).
    args.push('--appendonly', this.durable ? 'yes' : 'no', '--appendfsync', 'always');
    this.proc = spawn('redis-server', args, { stdio: 'ignore' });
    const c = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    const ok = await waitFor(async () => {
      if (c.status !== 'ready') await c.connect().catch(() => undefined);
      return (await c.ping()) === 'PONG';
    }, 10_000);
    c.disconnect();
    if (ok === null) throw new Error(`redis on ${this.port} did not start`);
  }

  async kill(): Promise<void> {
    if (!this.proc) return;
    this.proc.kill('SIGKILL');
    await exited(this.proc);
    this.proc = null;
  }

  client(): Redis {
    const c = new Redis({ port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 1, enableOfflineQueue: true });
    c.on('error', () => undefined);
    return c;
  }

  async stop(): Promise<void> {
    if (this.proc) {
      this.proc.kill('SIGCONT');
      this.proc.kill('SIGTERM');
      await Promise.race([exited(this.proc), sleep(3000)]);
      this.proc.kill('SIGKILL');
    }
    this.proc = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function pgBin(name: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', name))) return join(base, v, 'bin', name);
  throw new Error(`${name} not found under ${base}/*/bin`);
}

/** A test-owned PostgreSQL cluster (initdb + pg_ctl) in a temp dir on its own port; runs as `postgres` when we are root. */
export class OwnedPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'peak-pg-'));
  private readonly asRoot = process.getuid?.() === 0;
  constructor(readonly port: number) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(cmd: string, args: string[]): void {
    const full = this.asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
    if (full.status !== 0) throw new Error(`${cmd} failed: ${full.stderr || full.stdout}`);
  }

  async init(): Promise<void> {
    chmodSync(this.dir, 0o777);
    const data = join(this.dir, 'data');
    this.run(pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    writeFileSync(join(data, 'postgresql.auto.conf'), `port = ${this.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${this.dir}'\nfsync = off\nshared_buffers = 32MB\n`);
    await this.start();
  }

  async start(): Promise<void> {
    this.run(pgBin('pg_ctl'), ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-t', '30', 'start']);
  }

  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    this.run(pgBin('pg_ctl'), ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop('immediate');
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One of the project's apps as a child process: `node -r ./tools/node/register.js apps/<app>/src/main.ts`. */
export class AppProcess {
  private proc: ChildProcess | null = null;
  private stderr = '';
  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    private readonly readyUrl: string,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(timeoutMs = 60_000): Promise<number> {
    const t0 = Date.now();
    this.stderr = '';
    this.proc = spawn(process.execPath, ['-r', './tools/node/register.js', this.entry], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc.stderr?.on('data', (c: Buffer) => void (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    const ok = await waitFor(() => httpOk(this.readyUrl), timeoutMs);
    if (ok === null) throw new Error(`${this.name} not ready at ${this.readyUrl} after ${timeoutMs} ms: ${this.stderr}`);
    return Date.now() - t0;
  }

  signal(sig: NodeJS.Signals): void {
    this.proc?.kill(sig);
  }

  async kill(): Promise<void> {
    if (!this.proc) return;
    this.proc.kill('SIGCONT');
    this.proc.kill('SIGKILL');
    await exited(this.proc);
    this.proc = null;
  }

  async stop(): Promise<void> {
    if (!this.proc) return;
    const p = this.proc;
    p.kill('SIGCONT');
    p.kill('SIGTERM');
    await Promise.race([exited(p), sleep(5000)]);
    p.kill('SIGKILL');
    await exited(p);
    this.proc = null;
  }
}
