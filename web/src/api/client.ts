import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated';
import { ProblemError, type Problem } from './problem';

/** The CSRF token of the browser session (from GET /me), sent on every change. */
let csrfToken: string | null = null;
export const useCsrfToken = (token: string | null): void => void (csrfToken = token);

/** Where a lost session sends the person: the service's sign-in, and back to this page afterwards. */
export function signInUrl(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/auth/login?returnTo=${encodeURIComponent(here)}`;
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) {
      window.location.assign(signInUrl());
      // The page is leaving; nothing should render the failure meanwhile.
      return new Promise<Response>(() => undefined);
    }
    if (!response.ok) throw new ProblemError(await readProblem(response));
    return response;
  },
};

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await response.json()) as Problem;
  return { type: 'about:blank', title: response.statusText, status: response.status };
}

/** The typed API client (generated from openapi.json): an API change that breaks the app fails the type check. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

/** The body of a successful answer; failures were thrown as ProblemError by the middleware. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data: body } = await call;
  return body as T;
}
