import { Module } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { HealthController, MonitoringController } from './http/monitoring.controller';
import { MonitorRuntime } from './monitor.runtime';

export function monitorModuleFor(runtime: MonitorRuntime): Type<unknown> {
  @Module({ controllers: [MonitoringController, HealthController], providers: [{ provide: MonitorRuntime, useValue: runtime }] })
  class MonitorModule {}
  return MonitorModule;
}
