import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TrainerRuntime } from '../trainer.runtime';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(TrainerRuntime) private readonly runtime: TrainerRuntime) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(): Promise<Record<string, unknown>> {
    return { status: 'ok', jobs: await this.runtime.queue.getJobCounts(), codeCommit: this.runtime.codeCommit };
  }
}
