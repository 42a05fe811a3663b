import { FastifyError, FastifyInstance } from 'fastify';
import { titleOf, sendProblem } from './problem.filter';
import { problemType } from './problem';

/**
 * Errors Fastify raises before a request reaches Nest (malformed JSON, a body over the limit, an
 * unsupported media type) leave as problem+json too.
 */
export function registerFrameworkErrorHandler(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    sendProblem(
      reply,
      {
        type: status === 500 ? problemType('internal') : problemType(slugOf(error.code)),
        title: titleOf(status),
        status,
        detail: status === 500 ? 'Something went wrong on our side' : error.message,
      },
      request,
    );
  });
}

function slugOf(code: string | undefined): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload-too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    default:
      return 'malformed-request';
  }
}
