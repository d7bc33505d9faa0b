import { Module, type Type } from '@nestjs/common';
import { IngestEventUseCase } from '@risk/feature-ingestion';
import { RiskEventsConsumer } from './consumers/risk-events.consumer';
import { HealthController } from './http/health.controller';
import { FeatureServiceRuntime } from './feature-service.runtime';

export function featureServiceModuleFor(runtime: FeatureServiceRuntime): Type<unknown> {
  @Module({
    controllers: [RiskEventsConsumer, HealthController],
    providers: [
      { provide: FeatureServiceRuntime, useValue: runtime },
      { provide: IngestEventUseCase, useValue: runtime.ingest },
    ],
  })
  class FeatureServiceModule {}
  return FeatureServiceModule;
}
