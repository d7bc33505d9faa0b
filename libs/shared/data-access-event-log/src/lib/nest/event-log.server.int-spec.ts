import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createEventLog } from '../create-event-log';
import { dlqTopicOf, type DeadLetter, type EventLog, type EventMessage } from '../event-log.types';
import { waitFor } from '../testing/wait-for';
import { EventLogContext, EventLogExceptionFilter, EventLogServer } from './event-log.server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOPIC = 'nest.orders';
const seen: { value: unknown; key: string; deliveryCount: number }[] = [];

@Controller()
class OrdersConsumer {
  @EventPattern(TOPIC)
  async onOrder(@Payload() value: { n: number }, @Ctx() ctx: EventLogContext): Promise<void> {
    if (value.n === 13) throw Object.assign(new Error('unlucky order'), { code: 'UNLUCKY' });
    await new Promise((r) => setTimeout(r, 1));
    seen.push({ value, key: ctx.getMessage().key, deliveryCount: ctx.getMessage().deliveryCount });
  }
}

@Module({ controllers: [OrdersConsumer] })
class OrdersModule {}

describe('EventLogServer (Nest custom transport)', () => {
  const keyPrefix = `test-eln-${randomUUID().slice(0, 8)}`;
  let log: EventLog;

  beforeAll(async () => {
    log = await createEventLog({ backend: 'redis', redisUrl: REDIS_URL, keyPrefix, defaultPartitions: 2 });
  });

  afterAll(async () => {
    await log.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('routes @EventPattern handlers, commits after they complete, and dead-letters a throwing one', async () => {
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(OrdersModule, {
      strategy: new EventLogServer({ log, group: 'nest', consumer: 'n1', blockMs: 50, maxDeliveries: 2, retryBackoffMs: 1 }),
      logger: false,
    });
    app.useGlobalFilters(new EventLogExceptionFilter());
    await app.listen();
    const dead: EventMessage<DeadLetter>[] = [];
    const dlq = await log.subscribe<DeadLetter>({ group: 'dlq', consumer: 'r', topics: [dlqTopicOf(TOPIC)], blockMs: 50, handler: async (m) => void dead.push(m) });
    try {
      await log.publishBatch(Array.from({ length: 20 }, (_, n) => ({ topic: TOPIC, key: `order-${n % 4}`, value: { n } })));
      await waitFor(() => seen.length === 19 && dead.length === 1, 10_000, '19 handled and one dead letter');
      expect(seen.map((s) => (s.value as { n: number }).n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n).filter((n) => n !== 13));
      expect(seen.every((s) => s.deliveryCount === 1 && s.key.startsWith('order-'))).toBe(true);
      expect(dead[0].value.error).toMatchObject({ message: 'unlucky order', code: 'UNLUCKY' });
      expect(dead[0].value.original).toMatchObject({ topic: TOPIC, key: 'order-1', value: { n: 13 }, deliveryCount: 2 });
      await waitFor(async () => (await log.lag('nest', [TOPIC])).every((l) => l.lag === 0 && l.pending === 0), 5000, 'all committed');
    } finally {
      await dlq.stop();
      await app.close();
    }
  });
});
