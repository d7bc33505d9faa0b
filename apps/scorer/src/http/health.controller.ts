import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ScorerRuntime } from '../scorer.runtime';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(ScorerRuntime) private readonly runtime: ScorerRuntime) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready whenever the process can answer: every dependency failure degrades decisions, none blocks them. */
  @Get('health/ready')
  ready(): Record<string, unknown> {
    return { status: 'ok', ...this.runtime.health() };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}
