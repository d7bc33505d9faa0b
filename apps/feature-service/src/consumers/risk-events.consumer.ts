import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@risk/contract-events';
import { EventLogExceptionFilter } from '@risk/event-log';
import { IngestEventUseCase } from '@risk/feature-ingestion';

/** Thin: the payload goes to the use case; the event log commits only when it resolved, else retries / dead-letters. */
// on the controller: a hybrid app's connected microservice does not apply its global filters to these handlers
@UseFilters(new EventLogExceptionFilter())
@Controller()
export class RiskEventsConsumer {
  constructor(@Inject(IngestEventUseCase) private readonly ingest: IngestEventUseCase) {}

  @EventPattern(TOPICS.checkoutEvents)
  async checkoutEvent(@Payload() value: unknown): Promise<void> {
    await this.ingest.execute(value);
  }

  @EventPattern(TOPICS.labels)
  async label(@Payload() value: unknown): Promise<void> {
    await this.ingest.execute(value);
  }
}
