import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Role } from '../../src/auth/principal';
import { signDevelopmentToken, signingOptionsFor } from '../../src/auth/token.service';
import { ApiModule } from '../../src/api.module';
import { createHttpApp } from '../../src/http-app';
import { createDatabase, dropDatabase } from './databases';
import { assertKeepsContract } from './openapi-validator';
import { traceShutdown } from './shutdown-trace';
import { JWT_SECRET, REDIS_URL, databaseUrl, templateDatabase, testConfig, uniqueName } from './environment';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** One test file's world: its own database cloned from the template, its own queue prefix, the real API over HTTP. */
export interface TestApp {
  url: string;
  config: AppConfig;
  app: NestFastifyApplication;
  dataSource: DataSource;
  tokens: { admin: string; service: string };
  tokenFor(role: Role, claims?: { areas?: string[]; association?: string; subject?: string }): Promise<string>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
  /** While close() runs: the shutdown steps under way (lifecycle hooks, the HTTP server's close). */
  stopping(): string[];
}

/** Fast retries and polling, so pipeline tests finish in seconds. */
export const FAST_PIPELINE = {
  OUTBOX_POLL_MS: '50',
  DELIVERY_TIMEOUT_MS: '1000',
  DELIVERY_RETRY_SCHEDULE: '0,50ms,100ms,150ms,200ms',
  WORKER_LOCK_MS: '2000',
  SWEEP_INTERVAL_MS: '1000',
};

export async function startTestApp(
  overrides: Partial<Record<keyof AppConfig, string>> = {},
  options: {
    worker?: boolean;
    port?: number;
    beforeListen?: (app: NestFastifyApplication) => void;
    /** An existing database to serve (its owner drops it); by default a fresh clone of the template, dropped at close. */
    database?: string;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? uniqueName('kur_test');
  if (!options.database) await createDatabase(database, templateDatabase());
  const config = testConfig({
    DATABASE_URL: databaseUrl(database),
    QUEUE_PREFIX: uniqueName('kurtest'),
    ...FAST_PIPELINE,
    ...overrides,
  });
  const app = await createHttpApp(config, ApiModule.forRoot(config, { worker: options.worker }));
  options.beforeListen?.(app);
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const tokenFor: TestApp['tokenFor'] = (role, claims = {}) =>
    signDevelopmentToken(
      JWT_SECRET,
      {
        sub: claims.subject ?? `${role.toLowerCase()}-tester`,
        role,
        ...(claims.areas ? { areas: claims.areas } : {}),
        ...(claims.association ? { association: claims.association } : {}),
      },
      signingOptionsFor(config),
    );
  const tokens = { admin: await tokenFor(Role.ADMIN), service: await tokenFor(Role.SERVICE) };
  const stopping = traceShutdown(app);
  return {
    url,
    config,
    app,
    dataSource: app.get(DataSource),
    tokens,
    tokenFor,
    request: (method, path, options = {}) =>
      request(url, method, path, { ...options, token: options.token === undefined ? tokens.admin : options.token }),
    close: async () => {
      await app.close();
      // What the caller gave (a database, a queue prefix) is the caller's to remove.
      if (!options.database) await dropDatabase(database);
      if (!overrides.QUEUE_PREFIX) await deleteQueueKeys(config.QUEUE_PREFIX);
    },
    stopping,
  };
}

/** One HTTP call; its response must keep the OpenAPI contract (openapi.json), or the call throws. */
export async function request<T>(
  base: string,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  assertKeepsContract(method, response.url, response.status, response.headers, parsed);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** Leaves nothing behind in the shared Redis. */
export async function deleteQueueKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
