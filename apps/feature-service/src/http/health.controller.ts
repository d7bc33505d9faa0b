import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FeatureServiceRuntime } from '../feature-service.runtime';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(FeatureServiceRuntime) private readonly runtime: FeatureServiceRuntime) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  ready(): Record<string, unknown> {
    return { status: this.runtime.redis.status === 'ready' ? 'ok' : 'degraded', ...this.runtime.health() };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.registry.metrics();
  }
}
