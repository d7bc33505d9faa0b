import 'reflect-metadata';
import { createLogger } from '@risk/util-logging';
import { loadTrainerConfig } from './trainer.config';
import { createTrainerApp } from './trainer.app';

async function main(): Promise<void> {
  const config = loadTrainerConfig();
  const logger = createLogger({ name: 'trainer', level: config.LOG_LEVEL });
  const { app, runtime } = await createTrainerApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, worker: config.WORKER_ENABLED, codeCommit: runtime.codeCommit }, 'trainer listening');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
