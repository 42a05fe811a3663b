import { execFileSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../config/app-config';
import { packageRoot } from '../../src/core/data-files';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kur',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AUTH_JWT_SECRET: 'x'.repeat(32),
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('expected the configuration to be rejected');
};

describe('configuration', () => {
  it('reads a valid environment with defaults', () => {
    expect(loadConfig(valid)).toMatchObject({
      ...valid,
      PORT: 3000,
      QUEUE_PREFIX: 'kur',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    });
    expect(loadConfig({ ...valid, PORT: '8080' }).PORT).toBe(8080);
  });

  it('names each missing variable on its own line', () => {
    expect(problemsOf({})).toEqual([
      '- DATABASE_URL is missing',
      '- REDIS_URL is missing',
      '- SECRETS_KEY is missing',
      '- AUTH_JWT_SECRET or AUTH_JWKS_URL must be set (how bearer tokens are verified)',
    ]);
  });

  it('names each bad variable with what it should be', () => {
    expect(problemsOf({ ...valid, DATABASE_URL: 'mysql://x', PORT: 'eighty', SECRETS_KEY: 'short' })).toEqual([
      expect.stringMatching(/^- PORT: /),
      '- DATABASE_URL: DATABASE_URL must be a postgres:// URL',
      '- SECRETS_KEY: SECRETS_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
    ]);
  });

  it('wants all of browser sign-in or none of it, over https in production, and no moved clock there', () => {
    expect(problemsOf({ ...valid, OIDC_ISSUER_URL: 'https://idp.example.org' })).toEqual([
      expect.stringMatching(/^- OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URL, PUBLIC_URL must be set too/),
    ]);
    const signIn = {
      OIDC_ISSUER_URL: 'http://idp.example.org',
      OIDC_CLIENT_ID: 'kur',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_REDIRECT_URL: 'https://kur.example.org/auth/callback',
      PUBLIC_URL: 'https://kur.example.org',
    };
    expect(loadConfig({ ...valid, ...signIn }).signInEnabled).toBe(true);
    const { AUTH_JWT_SECRET: _, ...production } = {
      ...valid,
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example.org/jwks',
    };
    expect(problemsOf({ ...production, ...signIn, CLOCK_NOW: '2026-01-01T08:00:00Z' })).toEqual([
      '- CLOCK_NOW must not be set in production (it moves the service clock)',
      expect.stringMatching(/^- OIDC_ISSUER_URL must be https:\/\/ in production/),
    ]);
  });

  it('bounds the registry deactivation share, the outbox retention and the transaction attempts', () => {
    expect(loadConfig(valid)).toMatchObject({
      REGISTRY_MAX_DEACTIVATE_SHARE: 0.1,
      OUTBOX_RETENTION_HOURS: 168,
      TRANSACTION_ATTEMPTS: 4,
    });
    expect(
      problemsOf({
        ...valid,
        REGISTRY_MAX_DEACTIVATE_SHARE: '1.5',
        OUTBOX_RETENTION_HOURS: '-1',
        TRANSACTION_ATTEMPTS: '0',
      }),
    ).toEqual([
      expect.stringMatching(/^- REGISTRY_MAX_DEACTIVATE_SHARE: /),
      expect.stringMatching(/^- OUTBOX_RETENTION_HOURS: /),
      expect.stringMatching(/^- TRANSACTION_ATTEMPTS: /),
    ]);
    expect(problemsOf({ ...valid, REGISTRY_MAX_DEACTIVATE_SHARE: 'a tenth' })).toEqual([
      '- REGISTRY_MAX_DEACTIVATE_SHARE: REGISTRY_MAX_DEACTIVATE_SHARE must be a number from 0 to 1',
    ]);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ ...valid, PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });

  it('rejects a cron expression or a time zone the scheduler would die on at boot', () => {
    expect(
      problemsOf({
        ...valid,
        SYNC_REGISTRY_CRON: 'every night at two',
        SYNC_PRIO_CRON: '0 61 2 * * *',
        SYNC_SWEEP_CRON: '0 0 4 * * * * *',
        SYNC_TIME_ZONE: 'Mars/Olympus',
      }),
    ).toEqual([
      expect.stringMatching(
        /^- SYNC_REGISTRY_CRON: SYNC_REGISTRY_CRON must be a cron expression .*: every night at two/,
      ),
      expect.stringMatching(/^- SYNC_PRIO_CRON: SYNC_PRIO_CRON must be a cron expression /),
      expect.stringMatching(/^- SYNC_SWEEP_CRON: SYNC_SWEEP_CRON must be a cron expression /),
      '- SYNC_TIME_ZONE: SYNC_TIME_ZONE must be an IANA time zone such as Europe/Stockholm',
    ]);
  });

  it('accepts cron expressions with or without seconds, and any IANA time zone', () => {
    expect(
      loadConfig({ ...valid, SYNC_REGISTRY_CRON: '30 2 * * 1-5', SYNC_PRIO_CRON: '@daily', SYNC_TIME_ZONE: 'UTC' }),
    ).toMatchObject({ SYNC_REGISTRY_CRON: '30 2 * * 1-5', SYNC_PRIO_CRON: '@daily', SYNC_TIME_ZONE: 'UTC' });
  });

  it('reads .env.example through a POSIX shell as the README says (set -a && . ./.env)', () => {
    const printed = execFileSync('sh', ['-c', 'set -a && . ./.env.example && set +a && env'], {
      cwd: packageRoot(),
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    const env = Object.fromEntries(
      printed.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({ SYNC_REGISTRY_CRON: '0 0 2 * * *', SYNC_TIME_ZONE: 'Europe/Stockholm' });
    const config = loadConfig({ ...env, SECRETS_KEY: valid.SECRETS_KEY });
    expect(config).toMatchObject({ SYNC_PRIO_CRON: '0 30 2 * * *', SYNC_SWEEP_CRON: '0 0 4 * * *' });
  });

  it('refuses to start in production with a development token secret', () => {
    expect(problemsOf({ ...valid, NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example.org/jwks' })).toEqual([
      expect.stringMatching(/^- AUTH_JWT_SECRET must not be set in production/),
    ]);
    const production = {
      ...valid,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: 'https://idp.example.org/jwks',
    };
    expect(loadConfig(production).AUTH_JWT_SECRET).toBeUndefined();
  });

  it('checks the token lifetime, clock skew, CORS origins and trusted proxies', () => {
    expect(loadConfig(valid)).toMatchObject({
      AUTH_TOKEN_MAX_LIFETIME: '24h',
      AUTH_CLOCK_SKEW: '60s',
      corsOrigins: [],
    });
    const configured = loadConfig({
      ...valid,
      CORS_ORIGINS: 'https://kur.example.org, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8, loopback, ::1',
    });
    expect(configured.corsOrigins).toEqual(['https://kur.example.org', 'http://localhost:5173']);
    expect(
      problemsOf({
        ...valid,
        AUTH_TOKEN_MAX_LIFETIME: '100 years',
        AUTH_CLOCK_SKEW: '1h',
        CORS_ORIGINS: 'https://kur.example.org/app',
        TRUST_PROXY: 'true',
      }),
    ).toEqual([
      expect.stringMatching(/^- CORS_ORIGINS: /),
      expect.stringMatching(/^- TRUST_PROXY: /),
      expect.stringMatching(/^- AUTH_TOKEN_MAX_LIFETIME: /),
      expect.stringMatching(/^- AUTH_CLOCK_SKEW: /),
    ]);
  });
});
