import { spawnSync } from 'node:child_process';
import { ROOT } from './lib/processes';

/**
 * One real chaos scenario end to end: a test-owned Redis (never the shared 6379) is SIGKILLed under load and
 * restarted; the scorer keeps answering (degraded), recovers, and no decision or ingested event is lost or
 * duplicated after recovery. The deadline is relaxed to 5 s here because the suite runs on a shared 2-core CI
 * machine, and the within-deadline share is printed but not gated here (it depends on the machine's load);
 * the 60 ms figures come from `npm run chaos -- --quick` (docs/peak-results.md).
 */
describe('chaos: redis killed and restarted', () => {
  it('answers every request, recovers, loses and duplicates no event', () => {
    const r = spawnSync(process.execPath, ['-r', './tools/node/register.js', 'tools/peak/src/chaos.main.ts', '--quick', '--only', 'redis-killed', '--rate', '20', '--deadline', '5000'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
    });
    const out = r.stdout;
    expect(out).toMatch(/== redis-killed \(/);
    expect(out).toMatch(/PASS {2}every valid request answered/);
    expect(out).toMatch(/PASS {2}recovered after the fault cleared: \d+ ms/);
    expect(out).toMatch(/PASS {2}decision log after recovery: lost 0, duplicated 0: 50 sent, lost 0, dup 0/);
    expect(out).toMatch(/PASS {2}ingested events: lost 0, duplicated 0, all consumed: [1-9]\d* acked, lost 0, dup 0/);
    // while Redis was down the scorer degraded on the features path rather than failing
    expect(out).toMatch(/features:features_unavailable|features:features_timeout/);
    // exit 0 = all checks passed; 1 = an assertion (on this shared machine: the latency share) failed; 2 = crash
    expect([0, 1]).toContain(r.status);
  }, 180_000);
});
