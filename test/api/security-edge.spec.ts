import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/auth/principal';
import { packageRoot } from '../../src/core/data-files';
import { QueueName } from '../../src/queue/job-catalogue';
import { rawRequest } from '../support/raw-http';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

/** Every problem type the README documents. */
const DOCUMENTED_TYPES = new Set(
  readFileSync(join(packageRoot(), 'README.md'), 'utf8').match(/\/problems\/[a-z-]+(?:\/[a-z-]+)?/g) ?? [],
);

/** What a hostile client puts in its request; no response may carry it back. */
const MARKER = 'zq9echo';

function expectCleanProblem(response: ApiResponse, status: number, type: string): void {
  expect({ status: response.status, type: response.body?.type }).toEqual({ status, type });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(DOCUMENTED_TYPES).toContain(type);
  expect(JSON.stringify(response.body).toLowerCase()).not.toContain(MARKER);
}

/** The ways a path can be spelt so that a string comparison and the router disagree. */
function spellings(path: string): string[] {
  const rest = path.slice('/admin/queues'.length);
  return [
    path,
    `/%61dmin/queues${rest}`,
    `/admin/%71ueues${rest}`,
    `/%61%64%6d%69%6e/%71%75%65%75%65%73${rest}`,
    `/admin%2Fqueues${rest}`,
    `/admin%2fqueues${rest}`,
    `/admin/queues${rest.replace('/', '%2F')}`,
    `//admin/queues${rest}`,
    `/admin//queues${rest}`,
    `/admin/queues/${rest}`,
    `/admin./queues${rest}`,
    `/admin/queues.${rest}`,
    `${path}.`,
    `/ADMIN/queues${rest}`,
    `/Admin/Queues${rest}`,
    `/admin/QUEUES${rest}`,
    `/%2561dmin/queues${rest}`,
    `/admin/./queues${rest}`,
    `/x/../admin/queues${rest}`,
    `${path}?`,
    `${path}#x`,
  ];
}

describe('the queue board', () => {
  let api: TestApp;
  let syncQueue: Queue;
  beforeAll(async () => {
    api = await startTestApp();
    syncQueue = api.app.get<Queue>(getQueueToken(QueueName.SYNC));
  });
  afterAll(() => api.close());

  const protectedRoutes: [string, string][] = [
    ['GET', '/admin/queues'],
    ['GET', '/admin/queues/api/queues'],
    ['PUT', '/admin/queues/api/queues/sync/pause'],
  ];

  it.each(protectedRoutes)(
    'refuses %s %s in every spelling without a token or with a SERVICE token',
    async (method, path) => {
      const wrong: unknown[] = [];
      for (const target of spellings(path)) {
        for (const [who, token, refusal] of [
          ['nobody', null, 401],
          ['SERVICE', api.tokens.service, 403],
        ] as const) {
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
          const response = await rawRequest(api.url, method, target, { headers });
          const problem = /^application\/problem\+json/.test(response.headers.get('content-type') ?? '');
          if (![refusal, 404].includes(response.status) || !problem)
            wrong.push({ target, who, status: response.status });
        }
      }
      expect(wrong).toEqual([]);
      expect(await syncQueue.isPaused()).toBe(false);
    },
  );

  it('lets only an administrator in, whichever spelling routes to the board', async () => {
    const admin = { authorization: `Bearer ${api.tokens.admin}` };
    const statuses = new Set<number>();
    for (const target of spellings('/admin/queues/api/queues')) {
      statuses.add((await rawRequest(api.url, 'GET', target, { headers: admin })).status);
    }
    expect([...statuses].sort()).toEqual([200, 404]);
    for (const role of [Role.COORDINATOR, Role.ASSOCIATION_CHIEF]) {
      const token = await api.tokenFor(role, { areas: [], association: '00000000-0000-4000-8000-000000000001' });
      const response = await rawRequest(api.url, 'PUT', '/%61dmin/queues/api/queues/sync/pause', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ role, status: response.status }).toEqual({ role, status: 403 });
    }
    expect(await syncQueue.isPaused()).toBe(false);
    const paused = await rawRequest(api.url, 'PUT', '/%61dmin/queues/api/queues/sync/pause', { headers: admin });
    expect(paused.status).toBe(200);
    expect(await syncQueue.isPaused()).toBe(true);
    await syncQueue.resume();
  });
});
describe('errors the framework raises before our code runs', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  const send = (method: string, target: string, options: { headers?: Record<string, string>; body?: string } = {}) =>
    rawRequest(api.url, method, target, {
      ...options,
      headers: { authorization: `Bearer ${api.tokens.admin}`, ...options.headers },
    });
  const json = { 'content-type': 'application/json' };

  it('answers a malformed percent-encoding as a 400 problem that does not repeat the URL', async () => {
    expectCleanProblem(await send('GET', `/api/v1/areas/${MARKER}%E0%A4%A`), 400, '/problems/malformed-request');
    expectCleanProblem(await send('GET', `/api/v1/${MARKER}%ZZ`), 400, '/problems/malformed-request');
  });

  it('answers unknown routes and methods as a 404 problem, over-long path parameters as a 414', async () => {
    expectCleanProblem(await send('GET', `/api/v1/${MARKER}`), 404, '/problems/not-found');
    expectCleanProblem(await send('GET', `/${MARKER}`, { headers: { authorization: '' } }), 404, '/problems/not-found');
    expectCleanProblem(await send('DELETE', `/api/v1/counties?${MARKER}`), 404, '/problems/not-found');
    expectCleanProblem(await send('GET', `/api/v1/areas/${MARKER}${'a'.repeat(500)}`), 414, '/problems/uri-too-long');
  });

  it('answers an over-long URL or header as a 431 problem', async () => {
    const long = await send('GET', `/api/v1/areas?q=${MARKER}${'a'.repeat(20_000)}`);
    expectCleanProblem(long, 431, '/problems/headers-too-large');
    const header = await send('GET', '/api/v1/counties', { headers: { 'x-filler': MARKER.repeat(3000) } });
    expectCleanProblem(header, 431, '/problems/headers-too-large');
  });

  it('answers an unreadable request line as a 400 problem', async () => {
    expectCleanProblem(await send('ZQ9ECHO', '/api/v1/counties'), 400, '/problems/malformed-request');
  });

  it('answers empty, broken and poisoned JSON bodies as 400 problems that quote nothing', async () => {
    for (const body of ['', `{"name": "${MARKER}`, `{"${MARKER}": }`, `${MARKER}`, `{"__proto__": {"${MARKER}": 1}}`]) {
      const response = await send('POST', '/api/v1/areas', { headers: json, body });
      expectCleanProblem(response, 400, '/problems/malformed-request');
    }
  });

  it('answers an unsupported media type as a 415 problem that does not repeat it', async () => {
    const response = await send('POST', '/api/v1/areas', { headers: { 'content-type': `text/${MARKER}` }, body: 'x' });
    expectCleanProblem(response, 415, '/problems/unsupported-media-type');
  });

  it('answers a body over the limit as a 413 problem', async () => {
    const response = await send('POST', '/api/v1/areas', { headers: json, body: `"${'a'.repeat(1024 * 1024 + 10)}"` });
    expectCleanProblem(response, 413, '/problems/payload-too-large');
  });

  it('names the route, not the URL the client sent, as the instance', async () => {
    const missing = await send('GET', `/api/v1/areas/00000000-0000-4000-8000-000000000000?${MARKER}`);
    expectCleanProblem(missing, 404, '/problems/not-found');
    expect(missing.body.instance).toBe('/api/v1/areas/:id');
  });
});

/** What a proxy in front of the API would add; the address and protocol count only from a trusted proxy. */
const FORWARDED = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };

/** Shows the tests where Fastify thinks a request came from. */
const showClient = (app: NestFastifyApplication) =>
  app
    .getHttpAdapter()
    .getInstance()
    .addHook(
      'onSend',
      async (request, reply) => void reply.header('x-test-client', `${request.ip} ${request.protocol}`),
    );

describe('response headers', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({}, { beforeListen: showClient })));
  afterAll(() => api.close());

  it('sends the security headers on answers, errors, health and the docs', async () => {
    for (const [path, token] of [
      ['/api/v1/counties', api.tokens.admin],
      ['/api/v1/counties', null],
      ['/api/v1/nowhere', api.tokens.admin],
      ['/health/live', null],
      ['/docs-json', null],
      ['/admin/queues', api.tokens.admin],
    ] as const) {
      const response = await api.request('GET', path, { token });
      const headers = Object.fromEntries(response.headers);
      expect({ path, headers }).toMatchObject({
        path,
        headers: {
          'x-content-type-options': 'nosniff',
          'strict-transport-security': expect.stringContaining('max-age='),
          'x-frame-options': 'SAMEORIGIN',
          'referrer-policy': 'no-referrer',
          'cross-origin-opener-policy': 'same-origin',
        },
      });
      expect(headers).not.toHaveProperty('x-powered-by');
    }
    const api1 = await api.request('GET', '/api/v1/counties');
    expect(api1.headers.get('content-security-policy')).toContain("default-src 'self'");
    // No CORS unless CORS_ORIGINS names origins: a browser on another origin reads nothing.
    const preflight = await api.request('OPTIONS', '/api/v1/counties', {
      token: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await api.request('GET', '/api/v1/counties', { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still serves the Swagger UI, whose page and assets the policy allows', async () => {
    const page = await api.request('GET', '/docs', { token: null });
    expect(page.status).toBe(200);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    // Under script-src 'self' the UI works only if every script is a same-origin file, none inline.
    const html = String(page.body);
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const script of scripts) {
      const asset = await api.request('GET', new URL(script, `${api.url}/docs`).pathname, { token: null });
      expect({ script, status: asset.status }).toEqual({ script, status: 200 });
    }
  });

  it('takes the client address from the connection, not from X-Forwarded-For', async () => {
    const seen = await api.request('GET', '/health/live', { token: null, headers: FORWARDED });
    expect(seen.headers.get('x-test-client')).toBe('127.0.0.1 http');
  });
});

describe('a configured CORS policy and proxy', () => {
  let api: TestApp;
  beforeAll(
    async () =>
      (api = await startTestApp(
        {
          CORS_ORIGINS: 'https://kur.example.org, https://admin.kur.example.org',
          TRUST_PROXY: '127.0.0.1',
        },
        { beforeListen: showClient },
      )),
  );
  afterAll(() => api.close());

  it('answers preflights from the allowed origins only, and trusts the configured proxy', async () => {
    const ask = (origin: string) =>
      api.request('OPTIONS', '/api/v1/areas', {
        token: null,
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization,if-match,content-type',
        },
      });
    const allowed = await ask('https://admin.kur.example.org');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.kur.example.org');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PATCH');
    const refused = await ask('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await api.request('GET', '/api/v1/counties', { headers: { origin: 'https://kur.example.org' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://kur.example.org');
    expect(simple.headers.get('access-control-expose-headers')).toContain('etag');
    // …and, with TRUST_PROXY set, the client is the one the trusted proxy names.
    const proxied = await api.request('GET', '/health/live', { token: null, headers: FORWARDED });
    expect(proxied.headers.get('x-test-client')).toBe('203.0.113.9 https');
  });
});
