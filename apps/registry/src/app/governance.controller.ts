import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { approvalSchema, executeSchema, freezeSchema, RegistryService, webhookSchema, type Principal } from '@risk/registry';
import { Actor, AuthGuard } from './auth.guard';
import { ZodBody } from './openapi';

@ApiTags('governance')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class GovernanceController {
  constructor(private readonly registry: RegistryService) {}

  @Get('promotion-requests')
  @ApiQuery({ name: 'model', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'approved', 'rejected', 'executed', 'cancelled'] })
  listRequests(@Actor() actor: Principal, @Query('model') model?: string, @Query('status') status?: string) {
    return this.registry.listRequests(actor, { model, status });
  }

  @Post('promotion-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve (release manager other than the requester)' })
  @ZodBody(approvalSchema)
  approve(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.approve(actor, id, body);
  }

  @Post('promotion-requests/:id/reject')
  @HttpCode(200)
  @ZodBody(approvalSchema)
  reject(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.reject(actor, id, body);
  }

  @Post('promotion-requests/:id/execute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Promote: execute an approved request (blocked by an active freeze unless overridden with a reason)' })
  @ZodBody(executeSchema)
  execute(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.executePromotion(actor, id, body);
  }

  @Get('freeze-windows')
  listFreezes(@Actor() actor: Principal) {
    return this.registry.listFreezes(actor);
  }

  @Post('freeze-windows')
  @ApiOperation({ summary: 'Configure a peak-event freeze window' })
  @ZodBody(freezeSchema)
  createFreeze(@Actor() actor: Principal, @Body() body: unknown) {
    return this.registry.createFreeze(actor, body);
  }

  @Delete('freeze-windows/:id')
  @ApiOperation({ summary: 'End a freeze now (kept for the record)' })
  endFreeze(@Actor() actor: Principal, @Param('id') id: string) {
    return this.registry.endFreeze(actor, id);
  }

  @Get('webhooks')
  listWebhooks(@Actor() actor: Principal) {
    return this.registry.listWebhooks(actor);
  }

  @Post('webhooks')
  @ApiOperation({ summary: 'Subscribe a URL to signed change events (HMAC-SHA256 in x-registry-signature)' })
  @ZodBody(webhookSchema)
  createWebhook(@Actor() actor: Principal, @Body() body: unknown) {
    return this.registry.createWebhook(actor, body);
  }
}
