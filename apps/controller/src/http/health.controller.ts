import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { ControllerRuntime } from '../controller.runtime';

@Controller()
export class HealthController {
  constructor(@Inject(ControllerRuntime) private readonly rt: ControllerRuntime) {}

  @Get('health')
  async health() {
    await this.rt.pool.query('SELECT 1');
    return { status: 'ok', leader: this.rt.isLeader };
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.rt.metrics.registry.metrics();
  }
}
