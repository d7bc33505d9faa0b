// `npm run bench:features [-- --events 20000 --reads 5000]`: online feature pipeline vs redis-benchmark, same Redis, same run.
import { Command } from 'commander';
import { benchFeatures } from './lib/bench-features';

async function main(): Promise<void> {
  const o = new Command()
    .name('bench:features')
    .option('--redis-url <url>', 'Redis (event log + online store)', 'redis://127.0.0.1:6379')
    .option('--events <n>', 'contract events ingested (marketplace simulator)', '20000')
    .option('--reads <n>', 'sequential checkout-set online reads', '5000')
    .option('--partitions <n>', 'event log partitions', '8')
    .option('--redis-bench-requests <n>', 'redis-benchmark -n', '200000')
    .parse(process.argv)
    .opts<{ redisUrl: string; events: string; reads: string; partitions: string; redisBenchRequests: string }>();
  const r = await benchFeatures({ redisUrl: o.redisUrl, events: Number(o.events), reads: Number(o.reads), partitions: Number(o.partitions), redisBenchRequests: Number(o.redisBenchRequests) });
  const set = r.redisBenchmark.find((b) => b.test === 'SET');
  const get = r.redisBenchmark.find((b) => b.test === 'GET');
  const out = [
    `ingest: ${r.events} contract events -> ${Math.round(r.eventsPerSecond)} events/s (event log -> ingest use case -> Lua CAS; ${r.casWrites} CAS writes, ${r.casConflicts} conflicts)`,
    `online read (checkout set, ${r.entitiesPerRequest.toFixed(1)} entity blobs in one MGET): p50 ${(r.readP50Ms * 1000).toFixed(0)} µs, p99 ${(r.readP99Ms * 1000).toFixed(0)} µs over ${r.reads} reads, ${r.readTimeouts} deadline misses`,
    `redis-benchmark -P 16: SET ${Math.round(set?.rps ?? NaN)} req/s (p50 ${set?.p50Ms} ms, p99 ${set?.p99Ms} ms), GET ${Math.round(get?.rps ?? NaN)} req/s (p50 ${get?.p50Ms} ms, p99 ${get?.p99Ms} ms)`,
    `ratios: ingest / SET throughput = ${(r.eventsPerSecond / (set?.rps ?? NaN)).toFixed(4)}; read p50 / GET p50 = ${(r.readP50Ms / (get?.p50Ms ?? NaN)).toFixed(2)}; read p99 / GET p99 = ${(r.readP99Ms / (get?.p99Ms ?? NaN)).toFixed(2)}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:features failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
