import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { freePort, sleep } from './processes';

/**
 * A test-owned redis-server on its own port: the PII scan reads EVERY key the system wrote, with no other
 * engineer's keys mixed in, and nothing is left behind on the shared instance.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  client: Redis;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await sleep(50);
    }
  }
  await client.ping();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    async stop() {
      client.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/** Every key of the instance with a textual rendering of its value (strings, hashes, lists, sets, zsets, streams). */
export async function dumpRedis(client: Redis, exclude: RegExp[] = []): Promise<Array<{ key: string; type: string; ttlMs: number; text: string }>> {
  const out: Array<{ key: string; type: string; ttlMs: number; text: string }> = [];
  let cursor = '0';
  let guard = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if (exclude.some((r) => r.test(key))) continue;
      const type = await client.type(key);
      const ttlMs = await client.pttl(key);
      let text = '';
      if (type === 'string') text = ((await client.getBuffer(key)) ?? Buffer.alloc(0)).toString('latin1');
      else if (type === 'hash') text = JSON.stringify(await client.hgetall(key));
      else if (type === 'list') text = JSON.stringify(await client.lrange(key, 0, -1));
      else if (type === 'set') text = JSON.stringify(await client.smembers(key));
      else if (type === 'zset') text = JSON.stringify(await client.zrange(key, 0, -1, 'WITHSCORES'));
      else if (type === 'stream') text = JSON.stringify(await client.xrange(key, '-', '+'));
      out.push({ key, type, ttlMs, text });
    }
  } while (cursor !== '0' && ++guard < 10_000);
  return out;
}
