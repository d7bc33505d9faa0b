// Load generator run as a separate process by bench-scorer. Prints one JSON line of results.
//   closed: `concurrency` requests always in flight for `seconds` → max throughput
//   open:   constant arrival at `rate`/s for `seconds`; latency measured from the scheduled send time,
//           so a stall is charged to every request it delays (no coordinated omission).
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

interface Args {
  url: string;
  mode: 'closed' | 'open';
  seconds: number;
  concurrency: number;
  rate: number;
  bodies: string;
}
const args = JSON.parse(process.argv[2] as string) as Args;
const bodies = (JSON.parse(readFileSync(args.bodies, 'utf8')) as unknown[]).map((b) => Buffer.from(JSON.stringify(b)));
const target = new URL(args.url);
const agent = new Agent({ keepAlive: true, maxSockets: Math.max(args.concurrency, 64) });
const latencies: number[] = [];
let errors = 0;
let sent = 0;

function send(scheduledAt: number, done: () => void): void {
  const body = bodies[sent++ % bodies.length] as Buffer;
  const req = request(
    { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
    (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - scheduledAt);
        else errors++;
        done();
      });
    },
  );
  req.on('error', () => {
    errors++;
    done();
  });
  req.end(body);
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const end = t0 + args.seconds * 1000;
  await new Promise<void>((resolve) => {
    if (args.mode === 'closed') {
      let active = args.concurrency;
      const loop = (): void => {
        if (performance.now() >= end) {
          if (--active === 0) resolve();
          return;
        }
        send(performance.now(), loop);
      };
      for (let i = 0; i < args.concurrency; i++) loop();
    } else {
      let scheduled = 0;
      let inflight = 0;
      let stopped = false;
      const interval = 1000 / args.rate;
      const tick = setInterval(() => {
        const now = performance.now();
        const stop = now >= end;
        stopped ||= stop;
        const due = Math.floor((Math.min(now, end) - t0) / interval);
        while (scheduled < due) {
          const at = t0 + scheduled * interval;
          scheduled++;
          inflight++;
          send(at, () => {
            inflight--;
            if (stopped && inflight === 0) resolve();
          });
        }
        if (stop) {
          clearInterval(tick);
          if (inflight === 0) resolve();
        }
      }, 1);
    }
  });
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({ ok: sorted.length, errors, rps: sorted.length / elapsed, p50: pct(sorted, 50), p99: pct(sorted, 99), p999: pct(sorted, 99.9), max: sorted[sorted.length - 1] ?? NaN }) + '\n',
  );
  agent.destroy();
}
void main();
