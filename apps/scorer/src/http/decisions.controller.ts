import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Decision } from '@risk/contract-events';
import { DomainError } from '@risk/util-errors';
import { ScorerRuntime } from '../scorer.runtime';

@ApiTags('decisions')
@Controller('v1/decisions')
export class DecisionsController {
  constructor(@Inject(ScorerRuntime) private readonly runtime: ScorerRuntime) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Score a checkout (contract: scoring request v1 → decision v1)' })
  async decide(@Body() body: unknown): Promise<Decision> {
    try {
      return await this.runtime.decide(body);
    } catch (err) {
      if (err instanceof DomainError) this.runtime.metrics.invalid.inc({ code: err.code });
      throw err;
    }
  }
}
