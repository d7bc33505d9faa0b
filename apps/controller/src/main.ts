import 'reflect-metadata';
import { createLogger } from '@risk/util-logging';
import { loadControllerConfig } from './controller.config';
import { createControllerApp } from './controller.app';

async function main(): Promise<void> {
  const config = loadControllerConfig();
  const logger = createLogger({ name: 'controller', level: config.LOG_LEVEL });
  const { app } = await createControllerApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, registry: config.REGISTRY_URL, tickMs: config.TICK_MS }, 'rollout controller listening');
  const stop = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
