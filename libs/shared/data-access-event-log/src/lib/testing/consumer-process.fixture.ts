/**
 * A real consumer process for the SIGKILL test: prints `handled <seq>` after each handler resolved (state applied)
 * and `ready` once subscribed; at event `hangAt` it prints `stuck` and never finishes (the parent then SIGKILLs it
 * mid-update). Args: <redisUrl> <keyPrefix> <topic> <group> <consumer> <handlerDelayMs> <hangAt>
 */
import { createEventLog } from '../create-event-log';

const [redisUrl, keyPrefix, topic, group, consumer, delay, hangAt] = process.argv.slice(2);

void (async () => {
  const log = await createEventLog({ backend: 'redis', redisUrl, keyPrefix, defaultPartitions: 2 });
  await log.subscribe<{ seq: number }>({
    group,
    consumer,
    topics: [topic],
    batchSize: 10,
    blockMs: 100,
    handler: async (m) => {
      if (m.value.seq === Number(hangAt)) {
        process.stdout.write('stuck\n');
        await new Promise(() => undefined);
      }
      await new Promise((r) => setTimeout(r, Number(delay)));
      process.stdout.write(`handled ${m.value.seq}\n`);
    },
  });
  process.stdout.write('ready\n');
})();
