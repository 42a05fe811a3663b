import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidationError,
  getMetadataStorage,
  validateSync,
} from 'class-validator';
import { validateCronExpression } from 'cron';

/** A number variable: the text as a number, or undefined (the default) when unset. */
const toNumber = ({ value }: { value: unknown }) => (value === undefined ? value : Number(value));
const SHARE = 'REGISTRY_MAX_DEACTIVATE_SHARE must be a number from 0 to 1';

/**
 * Every environment variable the service reads, validated once at start-up.
 * `.env.example` documents each one; keep the two in step.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsOptional()
  @IsString()
  HOST = '0.0.0.0';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  /** Browser origins allowed to call the API cross-origin (comma-separated); none when unset. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s/,]+(\s*,\s*https?:\/\/[^\s/,]+)*\s*$/, {
    message: 'CORS_ORIGINS must be comma-separated origins such as https://kur.example.org (no paths)',
  })
  CORS_ORIGINS?: string;

  /**
   * The proxies whose X-Forwarded-* headers count (comma-separated addresses or CIDRs, or
   * loopback, linklocal, uniquelocal); when unset the client is the connection's peer.
   */
  @IsOptional()
  @Matches(
    /^\s*(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?))*\s*$/i,
    {
      message: 'TRUST_PROXY must be comma-separated proxy addresses or CIDRs (or loopback, linklocal, uniquelocal)',
    },
  )
  TRUST_PROXY?: string;

  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'QUEUE_PREFIX must be 1-40 letters, digits, - or _' })
  QUEUE_PREFIX = 'kur';

  /** HS256 secret for development tokens. */
  @IsOptional()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  /** JWKS of the production identity provider; tokens are verified against it. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  /** The `iss` every bearer token must carry (both key sources); unchecked when unset. */
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  /** An `aud` every bearer token must name (both key sources); unchecked when unset. */
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  /** The longest a bearer token may live, from `iat` to `exp` (and the oldest `iat` accepted). */
  @Matches(/^\d+(s|m|h)$/, { message: 'AUTH_TOKEN_MAX_LIFETIME must be a duration such as 3600s, 60m or 24h' })
  AUTH_TOKEN_MAX_LIFETIME = '24h';

  /** How far the identity provider's clock may be from ours when checking `exp`, `nbf` and `iat`. */
  @Matches(/^\d+(s|m)$/, { message: 'AUTH_CLOCK_SKEW must be a duration such as 60s or 2m' })
  AUTH_CLOCK_SKEW = '60s';

  /** 32 random bytes, base64: encrypts the associations' endpoint signing secrets at rest. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'SECRETS_KEY must be 32 bytes in base64 (openssl rand -base64 32)' })
  SECRETS_KEY: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * How long a stopping API waits for responses still being sent before it closes their
   * connections: a client that stops reading a streamed file would otherwise hold the stop forever.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  HTTP_DRAIN_MS = 10_000;

  /** How often the worker moves outbox messages into the queues. */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  OUTBOX_POLL_MS = 500;

  /** How long the relay's LISTEN connection waits before connecting again after losing it (polling covers meanwhile). */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  OUTBOX_LISTEN_RETRY_MS = 5000;

  /** Timeout of one push to an association's endpoint. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  DELIVERY_TIMEOUT_MS = 10_000;

  /**
   * Deliveries (and announcements) one worker runs at a time: pushes wait mostly on the network, and
   * the deliveries that read or record at the same time share a statement, so more of them in
   * flight cost the database fewer statements each.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  DELIVERY_WORKER_CONCURRENCY = 20;

  /**
   * Routing jobs one worker runs at a time: the areas of those running together are read in one
   * statement and their handovers written in another, so more of them in flight cost the database
   * fewer statements each.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(50)
  ROUTING_WORKER_CONCURRENCY = 16;

  /** Pushes in flight to one endpoint at a time, per worker (of its DELIVERY_WORKER_CONCURRENCY slots): a slow endpoint uses no more. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  DELIVERY_CONCURRENCY_PER_ENDPOINT = 2;

  /**
   * Delay before each delivery attempt (the Standard Webhooks example schedule, about three
   * days); the number of entries is the number of attempts. Jitter of ±10 % is added.
   */
  @Matches(/^\s*\d+(ms|s|m|h)?(\s*,\s*\d+(ms|s|m|h)?)*\s*$/, {
    message: 'DELIVERY_RETRY_SCHEDULE must be comma-separated durations such as 0,5s,5m,30m,2h',
  })
  DELIVERY_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,14h,20h,24h';

  /** How long a worker holds a job before another may take it over (a killed worker's jobs come back after this). */
  @Transform(toNumber)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_MS = 30_000;

  /** How often each worker checks that every due job is in Redis (and puts back what is not). */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  SWEEP_INTERVAL_MS = 300_000;

  /** The Finsam registry feed (see README); the registry sync fails clearly without it. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'REGISTRY_URL must be an http(s) URL' })
  REGISTRY_URL?: string;

  /** The PRIO inventory feed (see README). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PRIO_FEED_URL must be an http(s) URL' })
  PRIO_FEED_URL?: string;

  /** Timeout of one call to the registry or the PRIO feed. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  PARTNER_TIMEOUT_MS = 30_000;

  /** Attempts per feed page before a sync run gives up, with exponential backoff from SYNC_PAGE_RETRY_MS. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  SYNC_PAGE_ATTEMPTS = 5;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  SYNC_PAGE_RETRY_MS = 2000;

  /** Associations per registry page. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  REGISTRY_PAGE_SIZE = 50;

  /** Rows per PRIO page (and per database batch). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PRIO_PAGE_SIZE = 5000;

  /**
   * The largest share (0..1) of the active associations one registry snapshot may deactivate; a
   * snapshot that would deactivate more (an empty or truncated answer) is refused and the run FAILS.
   */
  @Transform(toNumber)
  @IsNumber({}, { message: SHARE })
  @Min(0, { message: SHARE })
  @Max(1, { message: SHARE })
  REGISTRY_MAX_DEACTIVATE_SHARE = 0.1;

  /** How long (hours) relayed outbox messages are kept before the worker deletes them. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  OUTBOX_RETENTION_HOURS = 168;

  /** Tries of a transaction that lost a deadlock or a serialization conflict (then 503). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10)
  TRANSACTION_ATTEMPTS = 4;

  /** Nightly schedules (cron with seconds optional), in SYNC_TIME_ZONE. */
  @IsCron()
  SYNC_REGISTRY_CRON = '0 0 2 * * *';

  @IsCron()
  SYNC_PRIO_CRON = '0 30 2 * * *';

  @IsCron()
  SYNC_SWEEP_CRON = '0 0 4 * * *';

  @IsTimeZone({ message: 'SYNC_TIME_ZONE must be an IANA time zone such as Europe/Stockholm' })
  SYNC_TIME_ZONE = 'Europe/Stockholm';

  /** SMTP server for e-mail to chiefs (smtp://user:pass@host:port); unset means no e-mail. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'KUR Handover <kur-handover@forsakringskassan.example>';

  /**
   * Where people reach the service in a browser: links in e-mails and, with browser sign-in, the
   * one origin that cookie-authenticated changes may come from.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** The daily follow-up job: opens rounds that fell due, marks overdue ones. */
  @IsCron()
  SYNC_FOLLOW_UP_CRON = '0 0 5 * * *';

  /** Days after its due date that an unreported follow-up round becomes OVERDUE. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(365)
  FOLLOW_UP_GRACE_DAYS = 30;

  /**
   * Starts the service's clock at this instant (ISO 8601), from where it runs at real speed: how
   * the demo plays a year after handover and the tests move time. Refused in production.
   */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'CLOCK_NOW must be an ISO 8601 date or instant' })
  CLOCK_NOW?: string;

  /** Bearer token a Prometheus scraper sends to the API's /metrics; unset, the API serves no metrics. */
  @IsOptional()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Where each worker serves /metrics, unauthenticated (0 = any free port, as the log says). */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT = 9464;

  @IsString()
  METRICS_HOST = '127.0.0.1';

  /** How long a scrape waits for each reading from Redis or the database before leaving it out. */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  METRICS_COLLECT_TIMEOUT_MS = 2000;

  /** Browser sign-in (OpenID Connect): all four OIDC_* (and PUBLIC_URL), or none (no browser sign-in). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'OIDC_ISSUER_URL must be an http(s) URL' })
  OIDC_ISSUER_URL?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** Where the provider sends the browser back: PUBLIC_URL + /auth/callback, registered at the provider. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'OIDC_REDIRECT_URL must be an http(s) URL' })
  OIDC_REDIRECT_URL?: string;

  /** Verified e-mails that are administrators whatever the grants say (comma-separated): the first administrators. */
  @IsOptional()
  @IsString()
  ADMIN_EMAILS?: string;

  /** A session unused this long is over. */
  @Matches(/^\d+(s|m|h)$/, { message: 'SESSION_IDLE_TIMEOUT must be a duration such as 30m' })
  SESSION_IDLE_TIMEOUT = '30m';

  /** A session is over this long after sign-in, however busy. */
  @Matches(/^\d+(s|m|h)$/, { message: 'SESSION_MAX_LIFETIME must be a duration such as 12h' })
  SESSION_MAX_LIFETIME = '12h';

  /** Requests per client (address) and minute to /api/v1 and the dashboard; 0 turns the limit off. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  RATE_LIMIT_API_PER_MINUTE = 600;

  /** Requests per client (address) and minute to /auth/login, /auth/callback and /auth/logout. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_PER_MINUTE = 20;

  get adminEmails(): string[] {
    return (this.ADMIN_EMAILS ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean);
  }

  /** Whether browser sign-in is configured. */
  get signInEnabled(): boolean {
    return Boolean(this.OIDC_ISSUER_URL);
  }

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }

  get deliverySchedule(): number[] {
    return this.DELIVERY_RETRY_SCHEDULE.split(',').map(parseDuration);
  }

  /**
   * Database connections one process may open: one for each routing and delivery job that may run
   * at once (routing a resolved handover holds its connection for its transaction; a delivery
   * waits for one to read and record), and a few for the outbox relay, the sweep, syncs and the
   * API, so none of them queues behind the others.
   */
  get databasePoolSize(): number {
    return this.ROUTING_WORKER_CONCURRENCY + this.DELIVERY_WORKER_CONCURRENCY + 4;
  }
}

/** A cron expression the scheduler (@nestjs/schedule, on the `cron` package) accepts, checked by that package. */
function IsCron(): PropertyDecorator {
  return ValidateBy({
    name: 'isCron',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && validateCronExpression(value).valid,
      defaultMessage: (args) =>
        `${args?.property} must be a cron expression ([seconds] minutes hours day month weekday): ${String(args?.value)}`,
    },
  });
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const [, amount, unit] = /^\s*(\d+)(ms|s|m|h)?\s*$/.exec(text) ?? [];
  if (amount === undefined) throw new ConfigError(`Not a duration: ${text}`);
  return Number(amount) * UNIT_MS[unit ?? 'ms'];
}

export class ConfigError extends Error {}

/** Validates the environment; throws one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AppConfig, '', true, false)
      .map((rule) => rule.propertyName),
  );
  const defined = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const problems = validateSync(config, { forbidUnknownValues: false }).flatMap(describe);
  if (!config.AUTH_JWT_SECRET && !config.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL must be set (how bearer tokens are verified)');
  }
  if (config.CLOCK_NOW && config.NODE_ENV === 'production') {
    problems.push('CLOCK_NOW must not be set in production (it moves the service clock)');
  }
  if (config.NODE_ENV === 'production' && config.AUTH_JWT_SECRET) {
    problems.push(
      'AUTH_JWT_SECRET must not be set in production (anyone holding it could mint tokens); use AUTH_JWKS_URL',
    );
  }
  problems.push(...signInProblems(config));
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  }
  return config;
}

const SIGN_IN = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

function signInProblems(config: AppConfig): string[] {
  const set = SIGN_IN.filter((name) => config[name]);
  if (set.length === 0) return [];
  const problems: string[] = [];
  const missing = [...SIGN_IN, 'PUBLIC_URL' as const].filter((name) => !config[name]);
  if (missing.length > 0) {
    problems.push(`${missing.join(', ')} must be set too (browser sign-in), or none of ${SIGN_IN.join(', ')}`);
  }
  for (const name of ['PUBLIC_URL', 'OIDC_ISSUER_URL', 'OIDC_REDIRECT_URL'] as const) {
    if (config.NODE_ENV === 'production' && config[name] && !config[name].startsWith('https://')) {
      problems.push(`${name} must be https:// in production (Secure cookies, tokens only over TLS)`);
    }
  }
  return problems;
}

function describe(error: ValidationError): string[] {
  const messages = Object.values(error.constraints ?? {});
  if (error.value === undefined) return [`${error.property} is missing`];
  return [`${error.property}: ${messages[0]}`];
}
