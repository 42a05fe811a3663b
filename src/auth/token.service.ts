import { Injectable, Logger } from '@nestjs/common';
import { createSecretKey, KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
  SignJWT,
} from 'jose';
import { AppConfig, parseDuration } from '../../config/app-config';
import { Caller, Role } from './principal';

export interface TokenClaims {
  sub: string;
  role: Role;
  areas?: string[];
  association?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity provider signs asymmetrically; HS256 belongs to the development secret alone. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** The secret is imported once as a KeyObject, not from bytes on every request. */
type KeySource = { name: 'jwks' | 'secret'; key: JWTVerifyGetKey | KeyObject; algorithms: string[] };

/** Why a token was refused, never the token itself. */
class Refusal extends Error {}

/** How many verified tokens are remembered (a few hundred bytes each), and for how long at most. */
const VERIFIED_TOKENS = 1000;
const VERIFIED_FOR_MS = 60_000;

/** A verified token's caller and until when it may be reused without checking the signature again. */
interface Verified {
  caller: Caller;
  until: number;
}

/** Verifies bearer tokens: against the JWKS in production, with the HS256 secret in development. */
@Injectable()
export class TokenService {
  private readonly logger = new Logger('Tokens');
  private readonly jwks?: KeySource;
  private readonly secret?: KeySource;
  private readonly options: JWTVerifyOptions;
  private readonly maxLifetimeSeconds: number;
  /** Causes already logged since a token was last accepted, so a failing identity provider logs once, not per request. */
  private readonly logged = new Set<string>();
  /**
   * Tokens verified lately, by the whole token string, in least-recently-used order. A token's
   * signature and claims cannot change, so until its expiry (or its maxTokenAge, whichever comes
   * first) the answer cannot either; the entry is also dropped after VERIFIED_FOR_MS so that a key
   * withdrawn from the JWKS stops working as soon as jose's own key cache would let it.
   */
  private readonly verified = new Map<string, Verified>();
  private readonly clockToleranceSeconds: number;

  constructor(config: AppConfig) {
    if (config.AUTH_JWKS_URL) {
      const key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), { timeoutDuration: 5000 });
      this.jwks = { name: 'jwks', key, algorithms: JWKS_ALGORITHMS };
    }
    if (config.AUTH_JWT_SECRET) {
      this.secret = {
        name: 'secret',
        key: createSecretKey(Buffer.from(config.AUTH_JWT_SECRET, 'utf8')),
        algorithms: ['HS256'],
      };
    }
    this.maxLifetimeSeconds = parseDuration(config.AUTH_TOKEN_MAX_LIFETIME) / 1000;
    this.clockToleranceSeconds = parseDuration(config.AUTH_CLOCK_SKEW) / 1000;
    this.options = {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: this.maxLifetimeSeconds,
      clockTolerance: this.clockToleranceSeconds,
    };
  }

  /** The caller named by an `Authorization: Bearer …` header, or null. */
  verifyHeader(authorization: string | undefined): Promise<Caller | null> {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    return match ? this.verify(match[1]) : Promise.resolve(null);
  }

  /** The caller, or null when the token is missing, forged, expired, too long-lived, for someone else or malformed. */
  async verify(token: string): Promise<Caller | null> {
    const known = this.remembered(token);
    if (known) {
      this.logged.clear();
      return known;
    }
    let source: KeySource | undefined;
    try {
      source = this.sourceFor(token);
      const { payload } = await jwtVerify(token, source.key as KeyObject, {
        ...this.options,
        algorithms: source.algorithms,
      });
      // maxTokenAge bounds how old a token may be; a token that asks to live longer is refused outright.
      if ((payload.exp as number) - (payload.iat as number) > this.maxLifetimeSeconds) {
        throw new Refusal('exp: lifetime longer than AUTH_TOKEN_MAX_LIFETIME');
      }
      const caller = callerFrom(payload);
      if (!caller) throw new Refusal('role: no known role, or a chief without an association');
      this.logged.clear();
      this.remember(token, caller, payload);
      return caller;
    } catch (error) {
      this.noteRefusal(source?.name ?? 'none', causeOf(error));
      return null;
    }
  }

  /** The caller of a token verified lately that is still within its lifetime, or undefined. */
  private remembered(token: string): Caller | undefined {
    const entry = this.verified.get(token);
    if (!entry) return undefined;
    this.verified.delete(token);
    if (Date.now() >= entry.until) return undefined;
    this.verified.set(token, entry); // the most recently used goes last
    return entry.caller;
  }

  /**
   * Until when jose would still accept it: `exp` and `iat + maxTokenAge`, both with the clock
   * tolerance (jose refuses from those instants on), and no longer than VERIFIED_FOR_MS.
   */
  private remember(token: string, caller: Caller, payload: JWTPayload): void {
    const lastSecond =
      Math.min(payload.exp as number, (payload.iat as number) + this.maxLifetimeSeconds) + this.clockToleranceSeconds;
    const until = Math.min(lastSecond * 1000, Date.now() + VERIFIED_FOR_MS);
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, {
      caller: Object.freeze({ ...caller, areaIds: Object.freeze([...caller.areaIds]) }) as Caller,
      until,
    });
  }

  /** HS256 tokens are checked with the development secret, all others against the JWKS. */
  private sourceFor(token: string): KeySource {
    let algorithm: unknown;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new Refusal('malformed: not a signed JWT');
    }
    const source = algorithm === 'HS256' ? this.secret : this.jwks;
    if (!source) throw new Refusal('alg: no key source configured for this algorithm');
    return source;
  }

  private noteRefusal(source: string, cause: string): void {
    const key = `${source} ${cause}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.logger.warn({ source, cause }, 'Bearer token refused');
  }
}

/** A short, token-free reason: jose's error code and claim, or the network error that kept the JWKS away. */
function causeOf(error: unknown): string {
  if (error instanceof Refusal) return error.message;
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return `${error.claim}: ${error.reason} (${error.code})`;
  }
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  const { code, message } = error as { code?: string; message?: string };
  return `${code ?? 'ERROR'}: ${message ?? String(error)}`;
}

function callerFrom(payload: JWTPayload): Caller | null {
  const role = payload.role as Role;
  if (typeof payload.sub !== 'string' || !Object.values(Role).includes(role)) return null;
  const areaIds = Array.isArray(payload.areas) ? payload.areas.filter((id): id is string => UUID.test(String(id))) : [];
  const associationId =
    typeof payload.association === 'string' && UUID.test(payload.association) ? payload.association : null;
  if (role === Role.ASSOCIATION_CHIEF && !associationId) return null;
  return { subject: payload.sub, role, areaIds, associationId };
}

export interface SigningOptions {
  /** How long the token lives (jose's notation: 12h, 30m). */
  ttl?: string;
  issuer?: string;
  audience?: string;
}

/** Development tokens this configuration accepts: its issuer and audience, its longest lifetime. */
export const signingOptionsFor = (config: AppConfig): SigningOptions => ({
  ttl: config.AUTH_TOKEN_MAX_LIFETIME,
  issuer: config.AUTH_ISSUER,
  audience: config.AUTH_AUDIENCE,
});

/** Mints a development token (HS256). Production tokens come from the identity provider. */
export async function signDevelopmentToken(
  secret: string,
  claims: TokenClaims,
  { ttl = '12h', issuer, audience }: SigningOptions = {},
): Promise<string> {
  const token = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(ttl);
  if (issuer) token.setIssuer(issuer);
  if (audience) token.setAudience(audience);
  return token.sign(new TextEncoder().encode(secret));
}
