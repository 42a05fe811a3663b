import { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import pino, { Logger as PinoLogger } from 'pino';
import { AppConfig } from '../../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Where the process's one pino logger is provided (CoreModule): Nest's Logger and the request lines write through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** JSON logs; secrets and tokens never reach a log line. */
export function createRootLogger(config: AppConfig): PinoLogger {
  return pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.secret',
        '*.signingSecret',
        '*.endpointSecret',
        '*.endpointSecretEncrypted',
        '*.*.secret',
        '*.*.signingSecret',
      ],
      censor: '[redacted]',
    },
  });
}

/**
 * nestjs-pino makes Nest's Logger write through the root logger. Its request middleware is not
 * mounted (no routes): it ran through Nest's middleware layer and bound a logger per request in
 * AsyncLocalStorage, whose promise hooks slowed every request by a fifth (bench/reads). The
 * request lines are logRequests'; other lines name the request when it matters (ProblemFilter).
 */
export function loggerOptions(root: PinoLogger): Params {
  return { forRoutes: [], pinoHttp: { logger: root } };
}

/** One line per request with its id, at warn for a 4xx and error for a 5xx; the probes are not logged. */
export function logRequests(fastify: FastifyInstance, root: PinoLogger): void {
  // A request line holds no secret (the sign-in query is cut off): it skips the redaction pass,
  // whose wildcard paths tripled the cost of every line.
  const lines = root.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/health')) {
      const status = reply.statusCode;
      lines[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info'](
        {
          req: { id: request.id, method: request.method, url: withoutSignInQuery(request.url) },
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime),
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}

/** The caller's `x-request-id` when it is a sane token, otherwise a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** The sign-in callback's query holds the authorization code and state: /auth/* URLs are logged without it. */
function withoutSignInQuery(url: string): string {
  return url.startsWith('/auth/') ? url.split('?')[0] : url;
}
