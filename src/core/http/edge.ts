import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { AppConfig } from '../../../config/app-config';
import { requestIdFor } from '../logging';
import { ProblemFilter, sendProblem, statusProblem } from './problem.filter';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * helmet's defaults (a `default-src 'self'` CSP, HSTS, nosniff, no framing by others, no referrer).
 * The Swagger UI at /docs loads only same-origin scripts and styles, so it needs no exception.
 */
const HELMET = {};

/**
 * Built once: @fastify/helmet builds a new helmet middleware (options, CSP string) on every
 * request; the headers are the same each time, so one prebuilt middleware sets them.
 */
const securityHeaders = helmet(HELMET);

/**
 * Fastify's options for the API: the body limit, request ids, which proxies' X-Forwarded-* headers
 * count (none unless TRUST_PROXY names them), and problem+json for the errors Fastify and Node
 * answer before any route or Nest filter runs (a malformed URL, an unreadable request).
 */
export function serverOptions(config: AppConfig): FastifyServerOptions {
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY ?? false,
    genReqId: requestIdFor,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  };
}

/** Security headers on every response and, when CORS_ORIGINS names some, cross-origin access for them. */
export function secureResponses(app: NestFastifyApplication, config: AppConfig): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
    );
  if (config.corsOrigins.length === 0) return;
  app.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'x-request-id'],
    exposedHeaders: ['etag', 'location', 'x-request-id'],
    maxAge: 600,
  });
}

const problems = new ProblemFilter();

/** A URL that does not decode, or a path parameter over the router's limit: no hook has run yet. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  securityHeaders(request.raw, reply.raw, () => undefined);
  void reply.header('x-request-id', request.id);
  sendProblem(reply, problems.toProblem(error, request), request);
}

/** What Node's parser refuses (a bad request line, headers over 16 KiB, a timeout) never becomes a request. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(statusProblem(status));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
