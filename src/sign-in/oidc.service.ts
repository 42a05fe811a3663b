import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../core/secrets';
import { VerifiedIdentity } from '../people/people.service';

/** An unfinished sign-in, sealed into a short-lived cookie: nothing of it is readable in the browser. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export class SignInFailure extends Error {}

const SCOPES = 'openid email profile';

/**
 * OpenID Connect with openid-client: authorization code flow with PKCE, state and nonce. The
 * provider's metadata is discovered at the first sign-in (and again after a failed discovery).
 */
@Injectable()
export class OidcService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SignIn');
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  get enabled(): boolean {
    return this.config.signInEnabled;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.logger.log(`Browser sign-in through ${this.config.OIDC_ISSUER_URL}`);
    else this.logger.warn('No OIDC_ISSUER_URL: no browser sign-in (bearer tokens only)');
  }

  /** Where to send the browser, and the sealed flow to keep in a cookie until it comes back. */
  async begin(returnTo: string): Promise<{ url: string; sealed: string }> {
    const configuration = await this.discover();
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.OIDC_REDIRECT_URL as string,
      scope: SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, sealed: this.box.seal(JSON.stringify(flow)) };
  }

  /** Exchanges the code; the verified person and where they wanted to go. Throws SignInFailure with a reason. */
  async finish(
    query: string,
    sealed: string | undefined,
  ): Promise<{ identity: VerifiedIdentity; idToken: string | null; returnTo: string }> {
    const flow = this.open(sealed);
    const configuration = await this.discover();
    const callback = new URL(this.config.OIDC_REDIRECT_URL as string);
    callback.search = query;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new SignInFailure(
        `the provider's answer was refused (${(error as { code?: string }).code ?? (error as Error).name})`,
      );
    }
    const claims = tokens.claims() as oidc.IDToken;
    const info = claims.email ? claims : await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    if (typeof info.email !== 'string') throw new SignInFailure('the provider gave no e-mail (scope email)');
    if (info.email_verified !== true) throw new SignInFailure('the provider has not verified the e-mail');
    return {
      identity: {
        issuer: claims.iss,
        subject: claims.sub,
        email: info.email,
        name: typeof info.name === 'string' ? info.name : null,
      },
      idToken: tokens.id_token ?? null,
      returnTo: flow.returnTo,
    };
  }

  /** The provider's RP-initiated logout, when it offers one. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    const configuration = await this.discover();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(configuration, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      post_logout_redirect_uri: new URL('/', this.config.PUBLIC_URL).href,
    }).href;
  }

  private open(sealed: string | undefined): Flow {
    if (!sealed) throw new SignInFailure('no sign-in in progress in this browser (start at /auth/login)');
    try {
      return JSON.parse(this.box.open(sealed)) as Flow;
    } catch {
      throw new SignInFailure('the sign-in cookie is not ours');
    }
  }

  private discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.config.OIDC_ISSUER_URL as string);
    this.configuration ??= oidc
      .discovery(
        issuer,
        this.config.OIDC_CLIENT_ID as string,
        this.config.OIDC_CLIENT_SECRET,
        undefined,
        // Plain http only for a provider on this machine (the development provider).
        issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}

/** A path on this service only: no scheme, no host, no protocol-relative //, no backslashes. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) return '/';
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value) || value.includes('\\')) return '/';
  return value;
}
