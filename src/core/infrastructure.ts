import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Telling an unreachable database or Redis from a real error, and waiting for it to come back
 * with a capped backoff, so an outage delays work instead of failing it.
 */

const FIRST_RETRY_MS = 100;
/** A few seconds at most between tries: work resumes soon after an outage, however long it was. */
const MAX_RETRY_MS = 2000;

/** Network errors of the socket, whatever the client. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is away or not ready: class 08 (connection exception),
 * admin/crash shutdown and "cannot connect now" (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** node-postgres reports a dropped connection by message only. */
const DROPPED_CONNECTION =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection is closed/i;

/** True when the error says the database (or Redis) could not be reached, not that the work was wrong. */
export function isInfrastructureError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current);) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && DROPPED_CONNECTION.test(message)) return true;
    const { driverError, cause, errors } = current as { driverError?: unknown; cause?: unknown; errors?: unknown[] };
    if (Array.isArray(errors) && errors.some(isInfrastructureError)) return true;
    current = driverError ?? cause;
  }
  return false;
}

/** The wait before retry number `retry` (1-based): doubling from 100 ms, never more than MAX_RETRY_MS. */
export function cappedBackoff(retry: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, retry - 1), MAX_RETRY_MS);
}

/**
 * Runs `work`, and while it fails because the database or Redis is unreachable, tries again with a
 * capped backoff. Any other error, or an aborted signal (the process is stopping), is thrown.
 */
export async function whenReachable<T>(
  work: () => Promise<T>,
  options: { signal?: AbortSignal; onWait?: (error: unknown, retry: number) => void } = {},
): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await work();
    } catch (error) {
      if (!isInfrastructureError(error) || options.signal?.aborted) throw error;
      options.onWait?.(error, retry);
      // Aborting ends the pause early; the next failure is then thrown.
      await sleep(cappedBackoff(retry), undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}
