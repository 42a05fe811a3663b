import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** JSON logs, one line per request with its id; secrets and tokens never reach a log line. */
export function loggerOptions(config: AppConfig): Params {
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.LOG_LEVEL,
      // Fastify assigns the id (requestIdFor) and the middleware layer copies it onto the raw request.
      genReqId: (request: IncomingMessage) =>
        (request as IncomingMessage & { id?: string }).id ?? requestIdFor(request),
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
      autoLogging: { ignore: (request) => (request.url ?? '').startsWith('/health') },
      // What a request line needs, without copying (and then redacting) every header of every request.
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: withoutSignInQuery(request.url),
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    },
  };
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
