import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventLogServer } from '@risk/event-log';
import { createHttpApp } from '@risk/util-nest';
import type { Logger } from '@risk/util-logging';
import type { FeatureServiceConfig } from './feature-service.config';
import { featureServiceModuleFor } from './feature-service.module';
import { FeatureServiceRuntime } from './feature-service.runtime';

/** HTTP (health/metrics) + the EventLogServer transport running the @EventPattern consumers; does not listen yet. */
export async function createFeatureServiceApp(config: FeatureServiceConfig, logger: Logger): Promise<{ app: NestFastifyApplication; runtime: FeatureServiceRuntime }> {
  const runtime = new FeatureServiceRuntime(config, logger);
  const log = await runtime.start();
  const app = await createHttpApp(featureServiceModuleFor(runtime), { title: 'checkout-risk feature service', logger, swagger: false });
  const [index, count] = config.CONSUMER_ASSIGNMENT ? config.CONSUMER_ASSIGNMENT.split('/').map(Number) : [];
  app.connectMicroservice(
    {
      strategy: new EventLogServer({
        log,
        group: config.CONSUMER_GROUP,
        consumer: config.CONSUMER_NAME,
        batchSize: config.CONSUMER_BATCH_SIZE,
        maxDeliveries: config.CONSUMER_MAX_DELIVERIES,
        claimIdleMs: config.CONSUMER_CLAIM_IDLE_MS,
        assignment: count ? { index, count } : undefined,
      }),
    },
  );
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await runtime.stop();
  };
  return { app, runtime };
}
