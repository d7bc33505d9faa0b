import 'reflect-metadata';
import { createLogger } from '@risk/util-logging';
import { loadMonitorConfig } from './monitor.config';
import { createMonitorApp } from './monitor.app';

async function main(): Promise<void> {
  const config = loadMonitorConfig();
  const logger = createLogger({ name: 'monitor', level: config.LOG_LEVEL });
  const { app } = await createMonitorApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, region: config.REGION }, 'monitor listening');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
