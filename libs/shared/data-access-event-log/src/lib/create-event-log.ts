import type { Logger } from '@risk/util-logging';
import { EventLogConfigError } from './event-log.errors';
import { eventLogConfigSchema, type EventLogConfig } from './event-log.options';
import type { EventLog } from './event-log.types';
import { KafkaEventLog } from './kafka/kafka-event-log';
import { RedisEventLog } from './redis/redis-event-log';

/** Picks the adapter from typed config (`backend: 'redis' | 'kafka'`); connects and fails fast on bad config. */
export async function createEventLog(config: EventLogConfig, deps: { logger?: Logger } = {}): Promise<EventLog> {
  const parsed = eventLogConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new EventLogConfigError(
      'Invalid event-log configuration',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const settings = parsed.data;
  return settings.backend === 'redis' ? RedisEventLog.connect(settings, deps.logger) : KafkaEventLog.connect(settings, deps.logger);
}
