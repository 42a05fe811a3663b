import { Injectable } from '@nestjs/common';
import { createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { AppConfig } from '../../config/app-config';
import { Caller, Role } from './principal';

export interface TokenClaims {
  sub: string;
  role: Role;
  areas?: string[];
  association?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Verifies bearer tokens: against the JWKS in production, with the HS256 secret in development. */
@Injectable()
export class TokenService {
  private readonly jwks?: JWTVerifyGetKey;
  /** Imported once, not on every request. */
  private readonly secret?: KeyObject;

  constructor(config: AppConfig) {
    if (config.AUTH_JWKS_URL) this.jwks = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), { timeoutDuration: 5000 });
    if (config.AUTH_JWT_SECRET) this.secret = createSecretKey(Buffer.from(config.AUTH_JWT_SECRET, 'utf8'));
  }

  /** The caller, or null when the token is missing, forged, expired or malformed. */
  async verify(token: string): Promise<Caller | null> {
    for (const key of [this.jwks, this.secret]) {
      if (!key) continue;
      try {
        const { payload } = await jwtVerify(token, key as KeyObject, {
          algorithms: key === this.secret ? ['HS256'] : undefined,
        });
        return callerFrom(payload);
      } catch {
        // try the next key source
      }
    }
    return null;
  }
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

/** Mints a development token (HS256). Production tokens come from the identity provider. */
export async function signDevelopmentToken(secret: string, claims: TokenClaims, ttl = '12h'): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}
