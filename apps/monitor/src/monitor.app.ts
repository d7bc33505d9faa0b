import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ReferenceStore } from '@risk/monitoring';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import type { MonitorConfig } from './monitor.config';
import { monitorModuleFor } from './monitor.module';
import { MonitorRuntime } from './monitor.runtime';

/** HTTP (JSON API, /ui, /metrics, health) around a started runtime; does not listen yet. */
export async function createMonitorApp(config: MonitorConfig, logger: Logger, references?: ReferenceStore): Promise<{ app: NestFastifyApplication; runtime: MonitorRuntime }> {
  const runtime = new MonitorRuntime(config, logger, references);
  await runtime.start();
  const app = await createHttpApp(monitorModuleFor(runtime), { title: 'checkout-risk monitor', logger });
  const close = app.close.bind(app);
  app.close = async () => {
    try {
      await close();
    } finally {
      await runtime.stop();
    }
  };
  return { app, runtime };
}
