import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RegistryPrisma } from '@risk/registry-data';
import { Inject } from '@nestjs/common';

export const PRISMA = Symbol('PRISMA');

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(PRISMA) private readonly prisma: RegistryPrisma) {}

  @Get('health')
  async health() {
    await this.prisma.$queryRaw`SELECT 1`;
    return { status: 'ok' };
  }
}
