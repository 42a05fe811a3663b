import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ProblemDetails, ProblemException, problemType } from './problem';

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
    sendProblem(reply, this.toProblem(error, request), request);
  }

  private toProblem(error: unknown, request: FastifyRequest): ProblemDetails {
    if (error instanceof ProblemException) return error.problem;
    if (error instanceof HttpException) return fromHttpException(error);
    if (isUniqueViolation(error)) {
      // Two writers raced past a service's own duplicate check; the unique index decided.
      return {
        type: problemType('conflict'),
        title: 'Conflict',
        status: HttpStatus.CONFLICT,
        detail: 'It exists already (another request just created it)',
      };
    }
    const statusCode = (error as { statusCode?: number })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { type: 'about:blank', title: titleOf(statusCode), status: statusCode, detail: (error as Error).message };
    }
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

function fromHttpException(error: HttpException): ProblemDetails {
  const status = error.getStatus();
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return {
    type: 'about:blank',
    title: titleOf(status),
    status,
    detail: Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}

export function titleOf(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

export function requestIdOf(request: FastifyRequest): string | undefined {
  return request.id;
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails, request: FastifyRequest): void {
  const requestId = requestIdOf(request);
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...problem, instance: request.url, ...(requestId ? { requestId } : {}) });
}
