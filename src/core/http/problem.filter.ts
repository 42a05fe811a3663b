import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../domain/errors';
import { isContention } from '../database/transactions';
import { ProblemDetails, ProblemException, conflictProblem, domainProblem, problemType } from './problem';

/**
 * The one place errors become responses: RFC 9457 problem+json with the request id.
 * Unknown errors are 500s with an error id; their stack goes to the log, never to the client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Transactions retried it TRANSACTION_ATTEMPTS times already; the client may try again shortly.
    if (isContention(error)) void reply.header('retry-after', '1');
    sendProblem(reply, this.toProblem(error, request), request);
  }

  toProblem(error: unknown, request: FastifyRequest): ProblemDetails {
    if (error instanceof ProblemException) return error.problem;
    const domain = error instanceof DomainError ? domainProblem(error) : undefined;
    if (domain) return domain;
    // Two writers raced past a service's own duplicate check; the unique index decided.
    if (isUniqueViolation(error)) return conflictProblem('It exists already (another request just created it)');
    if (isContention(error)) {
      return {
        type: problemType('contention'),
        title: 'Service Unavailable',
        status: HttpStatus.SERVICE_UNAVAILABLE,
        detail: 'The change collided with concurrent changes and nothing was saved; try again',
      };
    }
    // Nest's and Fastify's own errors (no route, unreadable body, …): their messages quote the
    // request, so the client gets a fixed problem for the status instead.
    const status = error instanceof HttpException ? error.getStatus() : (error as { statusCode?: unknown })?.statusCode;
    // 503: a readiness check (terminus) found a dependency down; that is an answer, not our error.
    if (typeof status === 'number' && ((status >= 400 && status < 500) || status === 503)) return statusProblem(status);
    const errorId = randomUUID();
    this.logger.error({ err: error, errorId, requestId: requestIdOf(request) }, 'Unhandled error');
    return {
      type: problemType('internal'),
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: `Something went wrong on our side; quote error id ${errorId} when reporting it`,
      errorId,
    };
  }
}

const STATUS_PROBLEMS: Record<number, [slug: string, detail: string]> = {
  400: ['malformed-request', 'The request could not be read: check its URL encoding, headers and JSON body'],
  401: ['unauthorised', 'A valid bearer token is required'],
  403: ['forbidden', 'You may not do this'],
  404: ['not-found', 'There is nothing here, or nothing visible to you'],
  408: ['request-timeout', 'The request did not arrive in time'],
  413: ['payload-too-large', 'The body is larger than the 1 MiB limit'],
  414: ['uri-too-long', 'A path segment of the URL is too long'],
  415: ['unsupported-media-type', 'Send request bodies as application/json'],
  431: ['headers-too-large', 'The URL or the headers are too large'],
  503: ['unavailable', 'A service this one depends on does not answer; try again shortly'],
};

/** The fixed problem for a status the framework raised, quoting nothing of the request. */
export function statusProblem(status: number): ProblemDetails {
  const [slug, detail] = STATUS_PROBLEMS[status] ?? ['request-refused', 'The request was refused'];
  return { type: problemType(slug), title: titleOf(status), status, detail };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}

function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function requestIdOf(request: FastifyRequest): string | undefined {
  return request.id;
}

/**
 * Sends a problem. Its `instance` is the route that answered (`/api/v1/areas/:id`), never the URL
 * the client sent, so nothing the client wrote comes back.
 */
export function sendProblem(reply: FastifyReply, problem: ProblemDetails, request: FastifyRequest): void {
  const requestId = requestIdOf(request);
  const route = request.routeOptions?.url;
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...problem, ...(route ? { instance: route } : {}), ...(requestId ? { requestId } : {}) });
}
