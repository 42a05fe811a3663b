import type { components } from '../../api/generated';

type Attempt = components['schemas']['DeliveryAttemptView'];

/** What the receiver answered, as an administrator reads it: the HTTP status, or what went wrong on the way. */
export function answerOf(attempt: Attempt): string {
  if (attempt.httpStatus !== null) return `HTTP ${attempt.httpStatus}${GONE[attempt.httpStatus] ?? ''}`;
  if (attempt.errorClass === 'TIMEOUT') return 'Inget svar inom tidsgränsen';
  if (attempt.errorClass?.startsWith('NETWORK:')) return `Nätverksfel (${attempt.errorClass.slice(8)})`;
  return attempt.errorClass ?? '–';
}

const GONE: Record<number, string> = { 410: ' (adressen finns inte längre)', 401: ' (nekad)', 429: ' (för många anrop)' };
