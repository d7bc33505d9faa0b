// Bare Fastify app answering a fixed decision of the same size as the scorer's: the benchmark's baseline.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const fixed = JSON.parse(process.argv[3] as string) as unknown;
const app = Fastify({ logger: false, bodyLimit: 32 * 1024 });
app.post('/v1/decisions', async () => fixed);
app.listen({ port, host: '127.0.0.1' }).then(
  () => process.stdout.write('ready\n'),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
