/**
 * Errors of the domain, thrown by services whichever way they were called (an HTTP request, a job,
 * a CLI). Their message is meant for a person; the HTTP layer maps them to problem+json
 * (core/http/problem.filter.ts), so no HTTP type reaches a job.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something named by id does not exist (over HTTP also: is not visible to the caller). */
export class NotFoundError extends DomainError {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} does not exist`);
  }
}

/** A KUR rule from DESIGN.md was broken; `rule` names it. */
export class RuleViolation extends DomainError {
  constructor(
    readonly rule: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The change clashes with the current state (a duplicate, or a step taken already). */
export class ConflictError extends DomainError {}

export const notFound = (what: string, id: string): NotFoundError => new NotFoundError(what, id);

export const ruleViolation = (rule: string, detail: string, extra: Record<string, unknown> = {}): RuleViolation =>
  new RuleViolation(rule, detail, extra);

export const conflict = (detail: string): ConflictError => new ConflictError(detail);

/**
 * For `.catch()`: a not-found from a lookup becomes the caller's own answer; anything else (a
 * database that failed, a bug) propagates and ends as a 500 with an error id.
 */
export const whenNotFound =
  (answer: () => Error) =>
  (error: unknown): never => {
    throw error instanceof NotFoundError ? answer() : error;
  };
