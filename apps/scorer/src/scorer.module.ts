import { Module, type Type } from '@nestjs/common';
import { DecisionsController } from './http/decisions.controller';
import { HealthController } from './http/health.controller';
import { ScorerRuntime } from './scorer.runtime';

/** The runtime is built (and started) before Nest, so the module just hands it to the thin controllers. */
export function scorerModuleFor(runtime: ScorerRuntime): Type<unknown> {
  @Module({
    controllers: [DecisionsController, HealthController],
    providers: [{ provide: ScorerRuntime, useValue: runtime }],
  })
  class ScorerModule {}
  return ScorerModule;
}
