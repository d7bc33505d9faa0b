import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import type { TrainerConfig } from './trainer.config';
import { trainerModuleFor } from './trainer.module';
import { TrainerRuntime, type TrainerOverrides } from './trainer.runtime';

/** Builds (but does not listen) the trainer; used by main.ts and the e2e tests. */
export async function createTrainerApp(
  config: TrainerConfig,
  logger: Logger,
  overrides: TrainerOverrides = {},
): Promise<{ app: NestFastifyApplication; runtime: TrainerRuntime }> {
  const runtime = new TrainerRuntime(config, logger, overrides);
  runtime.start();
  const app = await createHttpApp(trainerModuleFor(runtime), { title: 'checkout-risk trainer', logger });
  return { app, runtime };
}
