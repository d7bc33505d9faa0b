import { createLogger } from '@risk/util-logging';
import { loadRegistryConfig } from './registry.config';
import { createRegistryApp } from './registry.app';

async function main(): Promise<void> {
  const cfg = loadRegistryConfig();
  const logger = createLogger({ name: 'registry', level: cfg.LOG_LEVEL });
  const reg = await createRegistryApp(cfg, logger);
  await reg.app.listen({ port: cfg.PORT, host: cfg.HOST });
  logger.info({ port: cfg.PORT, ui: `http://127.0.0.1:${cfg.PORT}/ui/`, docs: `http://127.0.0.1:${cfg.PORT}/docs` }, 'registry listening');
  const stop = (): void => {
    reg.close().then(
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
