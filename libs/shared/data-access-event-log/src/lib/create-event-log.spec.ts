import { createEventLog } from './create-event-log';
import { EventLogConfigError } from './event-log.errors';
import { eventLogConfigSchema } from './event-log.options';

describe('createEventLog config', () => {
  it('rejects an invalid config with a typed error naming the fields', async () => {
    const error = await createEventLog({ backend: 'kafka', brokers: [], defaultPartitions: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventLogConfigError);
    expect(error).toMatchObject({ code: 'EVENT_LOG_CONFIG_INVALID' });
    expect((error as EventLogConfigError).issues.map((i) => i.path).sort()).toEqual(['brokers', 'defaultPartitions']);
  });

  it('fills production defaults for the embedded Redis backend', () => {
    expect(eventLogConfigSchema.parse({ backend: 'redis' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix: 'el',
      defaultPartitions: 8,
      publishMode: 'blocking',
      buffer: { maxBuffered: 10_000, maxBatch: 500, flushTimeoutMs: 1_000 },
    });
  });
});
