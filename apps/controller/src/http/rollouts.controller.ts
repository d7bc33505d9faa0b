import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@risk/util-errors';
import { z } from 'zod';
import type { OperatorCommand } from '@risk/rollout';
import { ControllerRuntime } from '../controller.runtime';
import { Authorization } from './auth';

const commandNameSchema: z.ZodType<OperatorCommand> = z.enum(['pause', 'resume', 'abort', 'skip-step']);
const commandSchema = z.object({ reason: z.string().trim().min(1).max(2000) });
const reportSchema = z.object({ minLabelsPerArm: z.number().int().min(1).optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ValidationError('Invalid request body', r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

@ApiTags('rollouts')
@ApiBearerAuth()
@Controller('v1/rollouts')
export class RolloutsController {
  constructor(@Inject(ControllerRuntime) private readonly rt: ControllerRuntime) {}

  private async operator(authorization: string | undefined): Promise<string> {
    const caller = await this.rt.auth.authenticate(authorization);
    this.rt.auth.assertOperator(caller);
    return caller.principal;
  }

  @Post()
  @ApiOperation({ summary: 'Start a shadow/canary rollout of a model or policy version' })
  async start(@Authorization() auth: string | undefined, @Body() body: unknown) {
    return this.rt.service.start(await this.operator(auth), body);
  }

  @Get()
  async list(@Authorization() auth: string | undefined, @Query('active') active?: string) {
    await this.rt.auth.authenticate(auth);
    return this.rt.service.list(active === undefined ? undefined : active === 'true');
  }

  @Get(':id')
  @ApiOperation({ summary: 'Rollout status: step, traffic, last analysis and its history' })
  async get(@Authorization() auth: string | undefined, @Param('id') id: string) {
    await this.rt.auth.authenticate(auth);
    const [rollout, events] = await Promise.all([this.rt.service.get(id), this.rt.service.events(id)]);
    return { ...rollout, events };
  }

  @Post(':id/:command')
  @HttpCode(200)
  @ApiOperation({ summary: 'Operator control (audited): pause, resume, abort or skip-step, with a reason' })
  async command(@Authorization() auth: string | undefined, @Param('id') id: string, @Param('command') command: string, @Body() body: unknown) {
    const cmd = parse(commandNameSchema, command);
    const actor = await this.operator(auth);
    return this.rt.service.command(actor, id, cmd, parse(commandSchema, body).reason);
  }

  @Post(':id/matured-label-report')
  @HttpCode(200)
  @ApiOperation({ summary: 'Joins matured labels to the canary decisions and attaches the report to the registry version' })
  async maturedReport(@Authorization() auth: string | undefined, @Param('id') id: string, @Body() body: unknown) {
    await this.operator(auth);
    return this.rt.maturedReport(id, parse(reportSchema, body));
  }
}
