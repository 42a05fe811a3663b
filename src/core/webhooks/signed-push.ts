import axios, { AxiosError } from 'axios';
import { Webhook } from 'standardwebhooks';

const EXCERPT = 500;

/** Where a push goes: the association's endpoint and its signing secret (whsec_…). */
export interface PushTarget {
  url: string;
  secret: string;
}

/** One event: its webhook-id stays the same on every attempt, so the receiver can drop duplicates. */
export type PushEvent = {
  webhookId: string;
  type: string;
} & (
  | { data: unknown }
  /** The data as JSON text already (a jsonb column read as text): sent as it is, not parsed and serialised again. */
  | { dataJson: string }
);

export interface PushOutcome {
  startedAt: Date;
  httpStatus: number | null;
  errorClass: string | null;
  excerpt: string | null;
  retryAfterMs: number | null;
  latencyMs: number;
}

export type PushVerdict = 'DELIVERED' | 'RETRY' | 'GONE' | 'FAILED';

/** One signed push (Standard Webhooks). Never throws: a network error is an outcome. */
export async function pushSigned(event: PushEvent, target: PushTarget, timeoutMs: number): Promise<PushOutcome> {
  const timestamp = new Date();
  const body =
    'dataJson' in event
      ? `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(timestamp.toISOString())},"data":${event.dataJson}}`
      : JSON.stringify({ type: event.type, timestamp: timestamp.toISOString(), data: event.data });
  const signature = new Webhook(target.secret).sign(event.webhookId, timestamp, body);
  const started = Date.now();
  try {
    const response = await axios.post<string>(target.url, body, {
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.webhookId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
        'user-agent': 'kur-handover/1',
      },
      timeout: timeoutMs,
      maxRedirects: 0,
      responseType: 'text',
      // The body is signed JSON text already: axios's default would parse it again to check it.
      transformRequest: (data: string) => data,
      transformResponse: (data: string) => data,
      validateStatus: () => true,
    });
    return {
      startedAt: timestamp,
      httpStatus: response.status,
      errorClass: null,
      excerpt: String(response.data ?? '').slice(0, EXCERPT),
      retryAfterMs: retryAfterMs(response.headers['retry-after']),
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    const code = (error as AxiosError).code;
    const errorClass = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'TIMEOUT' : `NETWORK:${code ?? 'UNKNOWN'}`;
    return {
      startedAt: timestamp,
      httpStatus: null,
      errorClass,
      excerpt: (error as Error).message.slice(0, EXCERPT),
      retryAfterMs: null,
      latencyMs: Date.now() - started,
    };
  }
}

/** DESIGN.md: 2xx delivered; 410 gone; 408, 429, 5xx, timeouts and network errors retry; other 4xx fail. */
export function classifyPush(outcome: PushOutcome): PushVerdict {
  const status = outcome.httpStatus;
  if (status === null) return 'RETRY';
  if (status >= 200 && status < 300) return 'DELIVERED';
  if (status === 410) return 'GONE';
  if (status === 408 || status === 429 || status >= 500) return 'RETRY';
  return 'FAILED';
}

export function describePush(outcome: PushOutcome): string {
  return outcome.httpStatus !== null ? `HTTP ${outcome.httpStatus}` : (outcome.errorClass ?? 'unknown error');
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
function retryAfterMs(header: unknown): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
