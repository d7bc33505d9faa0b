import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import type { ScorerConfig } from './scorer.config';
import { scorerModuleFor } from './scorer.module';
import { ScorerRuntime, type RuntimeOverrides } from './scorer.runtime';

/** Builds (but does not listen) the scorer; used by main.ts, the e2e tests and the benchmark. */
export async function createScorerApp(config: ScorerConfig, logger: Logger, overrides: RuntimeOverrides = {}): Promise<{ app: NestFastifyApplication; runtime: ScorerRuntime }> {
  const runtime = new ScorerRuntime(config, logger, overrides);
  await runtime.start();
  const app = await createHttpApp(scorerModuleFor(runtime), { title: 'checkout-risk scorer', logger, bodyLimitBytes: config.BODY_LIMIT_BYTES });
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await runtime.stop();
  };
  return { app, runtime };
}
