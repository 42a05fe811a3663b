import fastifyCookie from '@fastify/cookie';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ApiModule } from './api.module';
import { createApiDocument } from './core/http/api-docs';
import { limitDrain } from './core/http/drain';
import { secureResponses, serverOptions } from './core/http/edge';
import { ProblemFilter } from './core/http/problem.filter';
import { limitRates } from './core/http/rate-limit';
import { ROOT_LOGGER, logRequests } from './core/logging';
import { rejectDeepJson } from './core/http/json-depth';
import { createValidationPipe } from './core/http/validation';
import { mountMetrics } from './metrics/metrics-endpoint';
import { mountQueueBoard } from './queue/queue-board';
import { mountWebApp } from './web-app/web-app';

/**
 * Builds the HTTP application (not yet listening). main.ts, the demo and the tests all start the
 * API through here, so they run the same pipes, filters and docs.
 */
export async function createHttpApp(
  config: AppConfig,
  module: unknown = ApiModule.forRoot(config),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(serverOptions(config));
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'auth/login', method: RequestMethod.GET },
      { path: 'auth/callback', method: RequestMethod.GET },
      { path: 'auth/logout', method: RequestMethod.POST },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  // Nest routes Fastify's own errors (malformed JSON, 413, 415) through the same ProblemFilter.
  const fastify = app.getHttpAdapter().getInstance();
  // Callback hooks, not async ones: no promise per request for what is synchronous.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('preValidation', rejectDeepJson);
  logRequests(fastify, app.get(ROOT_LOGGER));
  limitDrain(fastify, config.HTTP_DRAIN_MS);
  secureResponses(app, config);
  await app.register(fastifyCookie);
  await limitRates(app, config);
  mountMetrics(app);
  setUpDocs(app);
  await mountQueueBoard(app);
  await mountWebApp(app);
  await assertSchemaCurrent(app);
  return app;
}

function setUpDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/** The API refuses to serve a database whose schema is behind the code. */
async function assertSchemaCurrent(app: INestApplication): Promise<void> {
  if (await app.get(DataSource).showMigrations()) {
    throw new Error('The database has pending migrations: run `npm run migration:run` first');
  }
}
