export { createEventLog } from './lib/create-event-log';
export { RedisEventLog } from './lib/redis/redis-event-log';
export { KafkaEventLog } from './lib/kafka/kafka-event-log';
export { eventLogConfigSchema, redisEventLogConfigSchema, kafkaEventLogConfigSchema } from './lib/event-log.options';
export type { EventLogConfig, RedisEventLogSettings, KafkaEventLogSettings } from './lib/event-log.options';
export { EventLogUnavailableError, EventLogConfigError, EventLogClosedError } from './lib/event-log.errors';
export { DLQ_SUFFIX, dlqTopicOf } from './lib/event-log.types';
export type {
  EventLog,
  EventMessage,
  EventRecord,
  EventHeaders,
  EventHandler,
  SubscribeOptions,
  Subscription,
  SubscriptionStats,
  StopOptions,
  PartitionLag,
  PublisherStats,
  DeadLetter,
} from './lib/event-log.types';
export { murmur2, partitionForKey } from './lib/partitioner';
export { EventLogServer, EventLogContext, EventLogExceptionFilter } from './lib/nest/event-log.server';
export type { EventLogServerOptions } from './lib/nest/event-log.server';
