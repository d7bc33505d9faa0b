import { Body, Controller, Get, HttpCode, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  aliasSchema,
  createModelSchema,
  evidenceSchema,
  promotionRequestSchema,
  registerVersionSchema,
  RegistryService,
  rollbackSchema,
  rolloutStepSchema,
  transitionSchema,
  type Principal,
} from '@risk/registry';
import { Actor, AuthGuard } from './auth.guard';
import { ZodBody } from './openapi';

@ApiTags('models')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('api/v1')
export class ModelsController {
  constructor(private readonly registry: RegistryService) {}

  @Get('me')
  @ApiOperation({ summary: 'Who am I: principal, role, permissions' })
  me(@Actor() actor: Principal) {
    return this.registry.me(actor);
  }

  @Get('models')
  listModels(@Actor() actor: Principal) {
    return this.registry.listModels(actor);
  }

  @Post('models')
  @ZodBody(createModelSchema)
  createModel(@Actor() actor: Principal, @Body() body: unknown) {
    return this.registry.createModel(actor, body);
  }

  @Get('models/:name')
  @ApiOperation({ summary: 'Model with versions, per-region stages, aliases, requests and rollout timeline' })
  getModel(@Actor() actor: Principal, @Param('name') name: string) {
    return this.registry.getModel(actor, name);
  }

  @Post('models/:name/versions')
  @ApiOperation({ summary: 'Register an immutable version (then PUT its artifact bytes)' })
  @ZodBody(registerVersionSchema)
  registerVersion(@Actor() actor: Principal, @Param('name') name: string, @Body() body: unknown) {
    return this.registry.registerVersion(actor, name, body);
  }

  @Get('models/:name/deployments')
  @ApiOperation({ summary: 'Production/canary/shadow version per region' })
  deployments(@Actor() actor: Principal, @Param('name') name: string) {
    return this.registry.deployments(actor, name);
  }

  @Get('models/:name/regions/:region')
  @ApiOperation({ summary: 'Production/canary/shadow version in one region (what the scorer loads)' })
  regionDeployment(@Actor() actor: Principal, @Param('name') name: string, @Param('region') region: string) {
    return this.registry.regionDeployment(actor, name, region);
  }

  @Post('models/:name/regions/:region/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore the previous production version in a region (one call)' })
  @ZodBody(rollbackSchema)
  rollback(@Actor() actor: Principal, @Param('name') name: string, @Param('region') region: string, @Body() body: unknown) {
    return this.registry.rollback(actor, name, region, body);
  }

  @Put('models/:name/aliases/:alias')
  @ZodBody(aliasSchema)
  setAlias(@Actor() actor: Principal, @Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown) {
    return this.registry.setAlias(actor, name, alias, body);
  }

  @Get('models/:name/aliases/:alias')
  getAlias(@Actor() actor: Principal, @Param('name') name: string, @Param('alias') alias: string) {
    return this.registry.getAlias(actor, name, alias);
  }

  @Get('versions/:id')
  getVersion(@Actor() actor: Principal, @Param('id') id: string) {
    return this.registry.getVersion(actor, id);
  }

  @Put('versions/:id/artifact')
  @ApiConsumes('application/octet-stream')
  @ApiOperation({ summary: 'Upload artifact bytes; rejected unless sha256 and size match the registered version' })
  uploadArtifact(@Actor() actor: Principal, @Param('id') id: string, @Body() body: Buffer) {
    return this.registry.uploadArtifact(actor, id, body);
  }

  @Get('versions/:id/artifact')
  @ApiOperation({ summary: 'Download artifact bytes (x-artifact-sha256 header; verify it)' })
  async downloadArtifact(@Actor() actor: Principal, @Param('id') id: string, @Res() reply: FastifyReply) {
    const { sha256, data } = await this.registry.downloadArtifact(actor, id);
    await reply.header('content-type', 'application/octet-stream').header('x-artifact-sha256', sha256).header('cache-control', 'private, max-age=31536000, immutable').send(data);
  }

  @Post('versions/:id/transitions')
  @ApiOperation({ summary: 'Direct stage change that needs no approval (shadow, back to candidate, archive)' })
  @ZodBody(transitionSchema)
  transition(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.transition(actor, id, body);
  }

  @Post('versions/:id/promotion-requests')
  @ApiOperation({ summary: 'Request promotion to canary/production in a region (needs a second person to approve)' })
  @ZodBody(promotionRequestSchema)
  requestPromotion(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.requestPromotion(actor, id, body);
  }

  @Post('versions/:id/rollout-steps')
  @ApiOperation({ summary: 'Append a step to the rollout timeline (canary controller)' })
  @ZodBody(rolloutStepSchema)
  appendRolloutStep(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.appendRolloutStep(actor, id, body);
  }

  @Get('versions/:id/rollout-steps')
  listRolloutSteps(@Actor() actor: Principal, @Param('id') id: string) {
    return this.registry.listRolloutSteps(actor, { versionId: id });
  }

  @Post('versions/:id/evidence')
  @ApiOperation({ summary: 'Attach evidence (canary analysis, matured-label report) to a version' })
  @ZodBody(evidenceSchema)
  attachEvidence(@Actor() actor: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.registry.attachEvidence(actor, id, body);
  }

  @Get('versions/:id/evidence')
  listEvidence(@Actor() actor: Principal, @Param('id') id: string) {
    return this.registry.listEvidence(actor, id);
  }
}
