import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@risk/util-errors';
import { MonitorRuntime } from '../monitor.runtime';
import { MONITOR_PAGE } from './monitor.page';

@ApiTags('monitoring')
@Controller()
export class MonitoringController {
  constructor(@Inject(MonitorRuntime) private readonly runtime: MonitorRuntime) {}

  @Get('api/v1/monitoring/summary')
  @ApiOperation({ summary: 'Everything the page shows: drift, skew, freshness, quality, active alerts, history' })
  summary(): Record<string, unknown> {
    const s = this.runtime.service;
    return {
      region: this.runtime.config.REGION,
      windowSize: s.window.size,
      drift: s.lastDrift,
      skew: s.lastConsistency,
      freshness: { lag: s.lastLag, ages: s.lastAges },
      quality: { immediate: s.lastImmediate, matured: s.lastDelayed },
      alerts: s.activeAlerts(),
      history: s.history,
    };
  }

  @Get('api/v1/monitoring/drift')
  drift(@Query('modelVersion') modelVersion?: string, @Query('region') region?: string): Record<string, unknown> {
    if (modelVersion !== undefined && !/^[\w.:-]{1,100}$/.test(modelVersion)) throw new ValidationError('modelVersion must be 1-100 word characters', [], 'BAD_MODEL_VERSION');
    const d = this.runtime.service.lastDrift;
    const keep = (r: { modelVersion: string; region: string }): boolean => (!modelVersion || r.modelVersion === modelVersion) && (!region || r.region === region);
    return { at: d?.at ?? null, features: d?.features.filter(keep) ?? [], scores: d?.scores.filter(keep) ?? [], skipped: d?.skipped ?? [] };
  }

  @Get('api/v1/monitoring/skew')
  skew(): Record<string, unknown> {
    return { report: this.runtime.service.lastConsistency };
  }

  @Get('api/v1/monitoring/freshness')
  freshness(): Record<string, unknown> {
    return { lag: this.runtime.service.lastLag, ages: this.runtime.service.lastAges };
  }

  @Get('api/v1/monitoring/quality')
  quality(): Record<string, unknown> {
    return { immediate: this.runtime.service.lastImmediate, matured: this.runtime.service.lastDelayed };
  }

  @Get('api/v1/monitoring/alerts')
  alerts(): Record<string, unknown> {
    return { active: this.runtime.service.activeAlerts() };
  }

  @Get('ui')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return MONITOR_PAGE;
  }
}

@Controller()
export class HealthController {
  constructor(@Inject(MonitorRuntime) private readonly runtime: MonitorRuntime) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  ready(): Record<string, unknown> {
    return { status: 'ok', ingested: this.runtime.ingested, rejected: this.runtime.rejected, windowSize: this.runtime.service.window.size };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}
