import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RegistryService, type Principal } from '@risk/registry';
import { Actor, AuthGuard } from './auth.guard';

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class AuditController {
  constructor(private readonly registry: RegistryService) {}

  @Get('audit')
  @ApiOperation({ summary: 'Append-only audit log, newest first (page with beforeSeq)' })
  @ApiQuery({ name: 'model', required: false })
  @ApiQuery({ name: 'versionId', required: false })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'beforeSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  audit(@Actor() actor: Principal, @Query() query: Record<string, string>) {
    return this.registry.audit$(actor, query);
  }

  @Get('audit/live')
  @ApiOperation({ summary: 'What was live (shadow/canary/production) in region R at time t' })
  @ApiQuery({ name: 'region', required: true })
  @ApiQuery({ name: 'at', required: true, description: 'ISO-8601 timestamp' })
  @ApiQuery({ name: 'model', required: false })
  liveAt(@Actor() actor: Principal, @Query() query: Record<string, string>) {
    return this.registry.liveAt(actor, query);
  }

  @Get('events')
  @ApiOperation({ summary: 'Change events after a sequence number (polling fallback to webhooks / event log)' })
  @ApiQuery({ name: 'afterSeq', required: false })
  @ApiQuery({ name: 'limit', required: false })
  events(@Actor() actor: Principal, @Query() query: Record<string, string>) {
    return this.registry.events(actor, query);
  }

  @Get('rollout-steps')
  @ApiQuery({ name: 'model', required: false })
  @ApiQuery({ name: 'region', required: false })
  rollout(@Actor() actor: Principal, @Query('model') model?: string, @Query('region') region?: string) {
    return this.registry.listRolloutSteps(actor, { model, region });
  }
}
