import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import type { ControllerConfig } from './controller.config';
import { ControllerRuntime } from './controller.runtime';
import { HealthController } from './http/health.controller';
import { RolloutsController } from './http/rollouts.controller';

function moduleFor(runtime: ControllerRuntime): Type<unknown> {
  @Module({ controllers: [RolloutsController, HealthController], providers: [{ provide: ControllerRuntime, useValue: runtime }] })
  class ControllerModule {}
  return ControllerModule;
}

/** Builds and starts the runtime (migrations, event logs, leader loop) and the HTTP app (not yet listening). */
export async function createControllerApp(config: ControllerConfig, logger: Logger): Promise<{ app: NestFastifyApplication; runtime: ControllerRuntime }> {
  const runtime = new ControllerRuntime(config, logger);
  await runtime.start();
  const app = await createHttpApp(moduleFor(runtime), { title: 'checkout-risk rollout controller', logger });
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await runtime.stop();
  };
  return { app, runtime };
}
