import helmet from '@fastify/helmet';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { DomainErrorFilter, toErrorResponse } from './domain-error.filter';

/** Helmet's defaults for responses Fastify sends before any hook runs (router-level rejections). */
const BASELINE_SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

interface RawReply {
  code(status: number): RawReply;
  headers(values: Record<string, string>): RawReply;
  send(body: unknown): unknown;
}

/** Bad percent-encoding and similar are rejected by Fastify's router, before Nest: answer in the same error shape. */
function frameworkErrorHandler(err: unknown, _req: unknown, reply: RawReply): void {
  const { status, body } = toErrorResponse(err);
  reply.code(status).headers(BASELINE_SECURITY_HEADERS).send(body);
}

/** NUL bytes are never valid in an id and make PostgreSQL throw; refuse them at the edge. */
const NUL_IN_URL = /%00/i;

export interface HttpAppOptions {
  title: string;
  logger: Logger;
  bodyLimitBytes?: number;
  /** Serve OpenAPI at /docs. */
  swagger?: boolean;
}

/** One way to build every HTTP app: Fastify, helmet, body limit, the global error filter and OpenAPI. */
export async function createHttpApp(module: Type<unknown> | DynamicModule, opts: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: opts.bodyLimitBytes ?? 64 * 1024,
    logger: false,
    trustProxy: false,
    // Longer ids than this are never ours; a longer parameter simply does not match a route (404).
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: frameworkErrorHandler as never,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: false, bufferLogs: false });
  await app.register(helmet as never, { contentSecurityPolicy: false } as never);
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    if (NUL_IN_URL.test(req.url)) {
      const { status, body } = toErrorResponse({ statusCode: 400, code: 'FST_ERR_BAD_URL', message: 'URL contains a NUL byte' });
      void reply.code(status).send(body);
      return;
    }
    done();
  });
  app.useGlobalFilters(new DomainErrorFilter(opts.logger));
  app.enableShutdownHooks();
  if (opts.swagger !== false) {
    const doc = SwaggerModule.createDocument(app as INestApplication, new DocumentBuilder().setTitle(opts.title).addBearerAuth().build());
    SwaggerModule.setup('docs', app as INestApplication, doc, { jsonDocumentUrl: 'docs/json' });
  }
  return app;
}
