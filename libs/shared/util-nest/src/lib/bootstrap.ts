import helmet from '@fastify/helmet';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { DomainErrorFilter } from './domain-error.filter';

export interface HttpAppOptions {
  title: string;
  logger: Logger;
  bodyLimitBytes?: number;
  /** Serve OpenAPI at /docs. */
  swagger?: boolean;
}

/** One way to build every HTTP app: Fastify, helmet, body limit, the global error filter and OpenAPI. */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: opts.bodyLimitBytes ?? 64 * 1024, logger: false, trustProxy: false });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: false, bufferLogs: false });
  await app.register(helmet as never, { contentSecurityPolicy: false } as never);
  app.useGlobalFilters(new DomainErrorFilter(opts.logger));
  app.enableShutdownHooks();
  if (opts.swagger !== false) {
    const doc = SwaggerModule.createDocument(app as INestApplication, new DocumentBuilder().setTitle(opts.title).addBearerAuth().build());
    SwaggerModule.setup('docs', app as INestApplication, doc, { jsonDocumentUrl: 'docs/json' });
  }
  return app;
}
