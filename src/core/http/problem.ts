import { HttpException, HttpStatus } from '@nestjs/common';

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

export const notFound = (what: string, id: string): ProblemException =>
  new ProblemException({
    type: problemType('not-found'),
    title: 'Not Found',
    status: HttpStatus.NOT_FOUND,
    detail: `${what} ${id} does not exist or is not visible to you`,
  });

/**
 * For `.catch()`: a not-found from a lookup becomes the caller's own answer; anything else (a
 * database that failed, a bug) propagates and ends as a 500 with an error id.
 */
export const whenNotFound =
  (answer: () => Error) =>
  (error: unknown): never => {
    throw error instanceof ProblemException && error.problem.status === HttpStatus.NOT_FOUND ? answer() : error;
  };

/** A KUR rule from DESIGN.md was broken: 422, naming the rule. */
export const ruleViolation = (rule: string, detail: string, extra: Record<string, unknown> = {}): ProblemException =>
  new ProblemException({
    type: problemType(`rules/${rule.toLowerCase().replace(/_/g, '-')}`),
    title: 'KUR rule violated',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail,
    rule,
    ...extra,
  });

export const validationFailed = (errors: FieldError[], detail = 'The request is not valid'): ProblemException =>
  new ProblemException({
    type: problemType('validation'),
    title: 'Bad Request',
    status: HttpStatus.BAD_REQUEST,
    detail,
    errors,
  });

export const conflict = (detail: string): ProblemException =>
  new ProblemException({ type: problemType('conflict'), title: 'Conflict', status: HttpStatus.CONFLICT, detail });
