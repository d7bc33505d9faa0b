import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { envBool, envInt, envList } from './env-helpers';

describe('loadConfig', () => {
  const schema = z.object({ PORT: envInt(3000), DEBUG: envBool(false), REGIONS: envList(['eu']), REDIS_URL: z.string().url() });

  it('coerces and defaults', () => {
    const cfg = loadConfig(schema, { REDIS_URL: 'redis://127.0.0.1:6379', PORT: '8080', DEBUG: 'yes', REGIONS: 'eu, us' });
    expect(cfg).toEqual({ PORT: 8080, DEBUG: true, REGIONS: ['eu', 'us'], REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('fails fast listing every bad key', () => {
    expect(() => loadConfig(schema, { PORT: 'x' })).toThrow(ConfigError);
    try {
      loadConfig(schema, { PORT: 'x' });
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.split(':')[0])).toEqual(['PORT', 'REDIS_URL']);
    }
  });
});
