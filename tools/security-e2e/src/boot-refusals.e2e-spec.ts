import { randomBytes } from 'node:crypto';
import { runAppToExit } from './testing/processes';

/** Secrets come only from config/env, and a service missing one (or given a weak one) refuses to boot without echoing it. */
describe('boot refusals: missing or weak secrets stop the process before it serves anything', () => {
  it('scorer in production without TOKEN_KEYS, scorer with a weak tokenisation key, controller without its registry token', async () => {
    const weak = `weak${randomBytes(4).toString('hex')}`; // 12 chars < 16
    const [noKeys, weakKey, noToken] = await Promise.all([
      runAppToExit('apps/scorer/src/main.ts', { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:1', DECISION_LOG: 'none', LOG_LEVEL: 'debug' }, 60_000),
      runAppToExit('apps/scorer/src/main.ts', { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:1', DECISION_LOG: 'none', LOG_LEVEL: 'debug', TOKEN_KEYS: `k1=${weak}` }, 60_000),
      runAppToExit('apps/controller/src/main.ts', { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', DB_MIGRATE_ON_BOOT: 'false' }, 60_000),
    ]);
    expect({ code: noKeys.code, timedOut: noKeys.timedOut }).toEqual({ code: 1, timedOut: false });
    expect(noKeys.output).toMatch(/TOKEN_KEYS is required in production/);
    expect({ code: weakKey.code, timedOut: weakKey.timedOut }).toEqual({ code: 1, timedOut: false });
    expect(weakKey.output).toMatch(/shorter than 16 characters/);
    expect(weakKey.output).not.toContain(weak);
    expect({ code: noToken.code, timedOut: noToken.timedOut }).toEqual({ code: 1, timedOut: false });
    expect(noToken.output).toMatch(/REGISTRY_TOKEN/);
  }, 90_000);
});
