import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import { IncomingMessage, STATUS_CODES, ServerResponse } from 'node:http';
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
 * helmet's headers, recorded once: they depend on nothing in the request (HELMET has no function
 * directives), so each response gets the same map instead of a helmet run (@fastify/helmet even
 * built a new helmet middleware, options and CSP string, on every request).
 */
const SECURITY_HEADERS = recordHeaders(helmet(HELMET));

function recordHeaders(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

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
    .addHook('onRequest', (_request, reply, done) => {
      void reply.headers(SECURITY_HEADERS);
      done();
    });
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
  void reply.headers(SECURITY_HEADERS);
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
