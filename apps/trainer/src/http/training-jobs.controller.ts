import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseTrainingJobRequest } from '@risk/training';
import { TrainerRuntime, type TrainingJobView } from '../trainer.runtime';

@ApiTags('training-jobs')
@Controller('v1/training-jobs')
export class TrainingJobsController {
  constructor(@Inject(TrainerRuntime) private readonly runtime: TrainerRuntime) {}

  /** 201 for a new job, 200 when the job key already exists (idempotent replay). */
  @Post()
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<TrainingJobView> {
    const { view, created } = await this.runtime.enqueue(parseTrainingJobRequest(body));
    reply.status(created ? 201 : 200);
    return view;
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<TrainingJobView> {
    return this.runtime.get(id);
  }

  @Delete(':id')
  @HttpCode(202)
  cancel(@Param('id') id: string): Promise<TrainingJobView> {
    return this.runtime.cancel(id);
  }
}
