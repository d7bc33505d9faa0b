import 'reflect-metadata';
import { createLogger } from '@risk/util-logging';
import { loadFeatureServiceConfig } from './feature-service.config';
import { createFeatureServiceApp } from './feature-service.app';

async function main(): Promise<void> {
  const config = loadFeatureServiceConfig();
  const logger = createLogger({ name: 'feature-service', level: config.LOG_LEVEL });
  const { app, runtime } = await createFeatureServiceApp(config, logger);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, ...runtime.health(), consumer: config.CONSUMER_NAME }, 'feature service consuming');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
