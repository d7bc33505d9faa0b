import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../../..');

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A real app started the way production starts it (npm start script's command line), every output byte kept. */
export interface AppProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  /** stdout + stderr, verbatim, for the PII scan. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  name: string;
  /** apps/<app>/src/main.ts */
  entry: string;
  env: Record<string, string>;
  port: number;
  /** Path polled until it answers 2xx (or any HTTP status when `anyStatus`). */
  readyPath: string;
  timeoutMs?: number;
}

export async function startApp(o: StartAppOptions): Promise<AppProcess> {
  const chunks: Buffer[] = [];
  // A clean env: nothing from the developer's shell leaks into (or configures) the app under test.
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...o.env, PORT: String(o.port), HOST: '127.0.0.1' };
  const child = spawn(process.execPath, ['-r', './tools/node/register.js', o.entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => chunks.push(d));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d));
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const app: AppProcess = {
    name: o.name,
    baseUrl,
    child,
    output: () => Buffer.concat(chunks).toString('utf8'),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (app.exited()) return;
      const t0 = Date.now();
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 8000);
      await once(child, 'exit');
      clearTimeout(t);
      if (process.env['SECURITY_E2E_TIMINGS']) process.stderr.write(`${o.name} stopped in ${Date.now() - t0} ms\n`);
    },
  };
  const bootStart = Date.now();
  const deadline = Date.now() + (o.timeoutMs ?? 40_000);
  while (Date.now() < deadline) {
    if (app.exited()) throw new Error(`${o.name} exited during boot (code ${child.exitCode}):\n${app.output().slice(-3000)}`);
    try {
      const res = await fetch(`${baseUrl}${o.readyPath}`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) {
        if (process.env['SECURITY_E2E_TIMINGS']) process.stderr.write(`${o.name} ready in ${Date.now() - bootStart} ms\n`);
        return app;
      }
    } catch {
      /* not listening yet */
    }
    await sleep(150);
  }
  await app.stop();
  throw new Error(`${o.name} not ready within ${o.timeoutMs ?? 40_000} ms:\n${app.output().slice(-3000)}`);
}

/** Runs an app to completion and returns its exit code and output (for boot-refusal tests). */
export async function runAppToExit(entry: string, env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const chunks: Buffer[] = [];
  const child = spawn(process.execPath, ['-r', './tools/node/register.js', entry], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => chunks.push(d));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d));
  let timedOut = false;
  const t = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(t);
  return { code, output: Buffer.concat(chunks).toString('utf8'), timedOut };
}
