import { applyDecorators, createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from './api-docs';
import { ProblemException, problemType } from './problem';

/** Strong ETag from an aggregate's version column. */
export const etagOf = (version: number): string => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', etagOf(version));
}

/** Wherever If-Match is read, the document shows it as a required header with its 412 and 428. */
function documentIfMatch(target: object, key: string | symbol | undefined): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: true,
      description: 'The ETag you read; a stale one is a 412, none a 428',
      schema: { type: 'string', example: '"3"' },
    }),
    ApiProblem(412),
    ApiProblem(428),
  )(target, key, descriptor);
}

/**
 * The version a client read, from `If-Match`. Writes to versioned resources require it, so a
 * client can never overwrite a change it has not seen (428 when absent).
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): number => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  if (header === undefined) {
    throw new ProblemException({
      type: problemType('precondition-required'),
      title: 'Precondition Required',
      status: HttpStatus.PRECONDITION_REQUIRED,
      detail: 'Send If-Match with the ETag you read; this resource is versioned',
    });
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(String(header).trim());
  if (!match) {
    throw new ProblemException({
      type: problemType('precondition-failed'),
      title: 'Precondition Failed',
      status: HttpStatus.PRECONDITION_FAILED,
      detail: 'If-Match must be an ETag this API issued, such as "3"',
    });
  }
  return Number(match[1]);
}, [documentIfMatch]);

/** 412 unless the stored version is the one the client read. */
export function assertVersion(current: number, expected: number, what: string): void {
  if (current !== expected) {
    throw new ProblemException({
      type: problemType('precondition-failed'),
      title: 'Precondition Failed',
      status: HttpStatus.PRECONDITION_FAILED,
      detail: `${what} has changed since you read it (version ${expected}, now ${current}); read it again`,
      currentVersion: current,
    });
  }
}
