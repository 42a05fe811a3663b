import { FastifyReply, FastifyRequest } from 'fastify';
import { validationFailed } from './problem';
import { sendProblem } from './problem.filter';

/** Deeper than any request body of this API needs (a plan's content is five levels). */
const MAX_JSON_DEPTH = 32;

/**
 * Refuses a parsed body nested deeper than MAX_JSON_DEPTH before anything recursive (class-transformer,
 * validation) walks it: 2 000 levels of `[` overflowed the stack. A Fastify hook, so it holds for
 * every route, whatever its handler does with the body.
 */
export function rejectDeepJson(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (!nestsDeeperThan(request.body, MAX_JSON_DEPTH)) return done();
  const message = `JSON may nest at most ${MAX_JSON_DEPTH} levels`;
  // Answered here: a callback hook that replies does not call done.
  sendProblem(
    reply,
    validationFailed([{ field: 'body', message }], `The body nests too deep: ${message}`).problem,
    request,
  );
}

/** Iterative, so that it cannot overflow itself, and stops at the first value past the limit. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(current)) pending.push([inner, depth + 1]);
  }
  return false;
}
