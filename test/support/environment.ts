import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../config/app-config';

/** The machine's shared services (trust auth); each test file gets its own database and queue prefix. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
/**
 * The migrated template every test file clones. Its name is chosen once per jest run (in global
 * setup, inherited by the workers through the environment), so two runs on one machine never meet.
 */
export function templateDatabase(): string {
  const name = process.env.KUR_TEST_TEMPLATE;
  if (!name)
    throw new Error('KUR_TEST_TEMPLATE is not set: run the tests through jest (global setup names the template).');
  return name;
}

export function databaseUrl(name: string, base = POSTGRES_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export function testConfig(overrides: Partial<Record<keyof AppConfig, string>>): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(templateDatabase()),
    REDIS_URL,
    AUTH_JWT_SECRET: JWT_SECRET,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    // Every test file's requests come from 127.0.0.1; the limit's own test turns it back on.
    RATE_LIMIT_API_PER_MINUTE: '0',
    ...overrides,
  });
}
