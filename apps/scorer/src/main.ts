import 'reflect-metadata';
import { createLogger } from '@risk/util-logging';
import { loadScorerConfig } from './scorer.config';
import { createScorerApp } from './scorer.app';

async function main(): Promise<void> {
  const config = loadScorerConfig();
  const logger = createLogger({ name: 'scorer', level: config.LOG_LEVEL });
  const { app, runtime } = await createScorerApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, region: config.REGION, ...runtime.health() }, 'scorer listening');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
