import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

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

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

/** The documented port when it is free (so the printed URLs are the README's), otherwise any free port. */
export async function pickPort(preferred: number, forceFree: boolean): Promise<number> {
  if (!forceFree && (await portFree(preferred))) return preferred;
  return freePort();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Thrown inside a `waitFor` probe to stop waiting at once (a final failure, not a not-yet). */
export class FinalError extends Error {}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 200, abort?: AbortSignal): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    if (abort?.aborted) throw new Error(`interrupted while waiting for ${what}`);
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      if (err instanceof FinalError) throw err;
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface ChildSpec {
  name: string;
  /** Executable and arguments. */
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** All output goes to this file (the terminal shows the demo's own progress only). */
  logFile: string;
}

/** A child process owned by the demo: output to a log file, SIGTERM then SIGKILL on stop, never left behind. */
export class ChildApp {
  readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stopped = false;

  constructor(readonly spec: ChildSpec) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const fd = openSync(spec.logFile, 'a');
    this.child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.exited = new Promise((r) => this.child.once('exit', () => r()));
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last part of the child's log, for error reports. */
  tail(chars = 1500): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  log(): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  signal(sig: NodeJS.Signals): void {
    if (this.alive) this.child.kill(sig);
  }

  async waitHttp(url: string, timeoutMs: number, abort?: AbortSignal): Promise<void> {
    await waitFor(
      `${this.name} at ${url}`,
      async () => {
        if (!this.alive) throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode})`);
        const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
        return r.ok;
      },
      timeoutMs,
      250,
      abort,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- last lines of ${this.spec.logFile} ---\n${this.tail()}`);
    });
  }

  /** SIGCONT first (a paused child ignores SIGTERM until resumed), then SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopped) return this.exited;
    this.stopped = true;
    if (!this.alive) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
