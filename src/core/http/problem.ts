import { HttpException, HttpStatus } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, RuleViolation } from '../domain/errors';

/** RFC 9457 problem details, as every error leaves this service. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Problem types are relative URIs documented in the README. */
export const problemType = (slug: string): string => `/problems/${slug}`;

/** An error that carries its own problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid'): ProblemException =>
  new ProblemException({
    type: problemType('validation'),
    title: 'Bad Request',
    status: HttpStatus.BAD_REQUEST,
    detail,
    errors,
  });

/** How a domain error (thrown by services for HTTP and jobs alike) reads over HTTP; undefined for one it does not know. */
export function domainProblem(error: DomainError): ProblemDetails | undefined {
  if (error instanceof NotFoundError) {
    return {
      type: problemType('not-found'),
      title: 'Not Found',
      status: HttpStatus.NOT_FOUND,
      detail: `${error.message} or is not visible to you`,
    };
  }
  if (error instanceof RuleViolation) {
    return {
      type: problemType(`rules/${error.rule.toLowerCase().replace(/_/g, '-')}`),
      title: 'KUR rule violated',
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      detail: error.message,
      rule: error.rule,
      ...error.extra,
    };
  }
  if (error instanceof ConflictError) return conflictProblem(error.message);
  return undefined;
}

export const conflictProblem = (detail: string): ProblemDetails => ({
  type: problemType('conflict'),
  title: 'Conflict',
  status: HttpStatus.CONFLICT,
  detail,
});
