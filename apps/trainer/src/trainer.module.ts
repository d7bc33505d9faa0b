import { Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { HealthController } from './http/health.controller';
import { TrainingJobsController } from './http/training-jobs.controller';
import { TrainerRuntime } from './trainer.runtime';

/** The runtime (queue + worker) is built before Nest; the module hands it to the thin controllers. */
export function trainerModuleFor(runtime: TrainerRuntime): Type<unknown> {
  @Module({
    controllers: [TrainingJobsController, HealthController],
    providers: [{ provide: TrainerRuntime, useValue: runtime }],
  })
  class TrainerModule implements OnApplicationShutdown {
    /** app.close() stops the worker (waiting for the running job's current step) and the Redis connections. */
    async onApplicationShutdown(): Promise<void> {
      await runtime.stop();
    }
  }
  return TrainerModule;
}
