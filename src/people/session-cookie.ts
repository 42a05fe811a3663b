import { CookieSerializeOptions } from '@fastify/cookie';
import { AppConfig } from '../../config/app-config';

/**
 * The session cookie: HttpOnly, SameSite=Lax, and Secure with the __Host- prefix (no Domain, path /)
 * whenever the service is served over https or runs in production. Plain http (development, tests
 * on 127.0.0.1) cannot carry Secure cookies, so there the prefix is left off.
 */
export class CookiePolicy {
  readonly secure: boolean;
  readonly session: string;
  /** The short-lived cookie that carries an unfinished sign-in (state, nonce, PKCE verifier) sealed. */
  readonly signIn: string;

  constructor(config: AppConfig) {
    this.secure = config.NODE_ENV === 'production' || (config.PUBLIC_URL ?? '').startsWith('https://');
    const prefix = this.secure ? '__Host-' : '';
    this.session = `${prefix}kur-session`;
    this.signIn = `${prefix}kur-sign-in`;
  }

  options(maxAgeSeconds?: number): CookieSerializeOptions {
    return {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      path: '/',
      ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
    };
  }
}
