import { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { DevAccount } from './dev-accounts';
import { FakeServer, startFakeServer } from './http-fake';

/**
 * The development identity provider: a real OpenID provider (oidc-provider) on 127.0.0.1 with a
 * login form that checks the accounts' passwords. It knows people, not roles: the service derives
 * roles from its own records. For development and tests only (ephemeral keys, one password).
 */
export interface IdentityProvider {
  url: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export const DEV_CLIENT_ID = 'kur-handover';
export const DEV_CLIENT_SECRET = 'kur-handover-development-client-secret';

export async function startIdentityProvider(accounts: DevAccount[]): Promise<IdentityProvider> {
  const byEmail = new Map(accounts.map((account) => [account.email.toLowerCase(), account]));
  const bySubject = new Map(accounts.map((account) => [account.subject, account]));
  // Set once the server (whose URL the provider needs) listens; the handler reads it later.
  // eslint-disable-next-line prefer-const
  let provider: Provider | undefined;
  const server: FakeServer = await startFakeServer(async (request, url, response) => {
    if (!provider) return { status: 503, body: { error: 'starting' } };
    if (url.pathname.startsWith('/interaction/')) await interact(provider, byEmail, request, response);
    else void provider.callback()(request, response);
    return null;
  });
  provider = new Provider(server.url, configuration(bySubject));
  // Any port on this machine: the service's port is chosen at start.
  const loopback = (uri: string, path: string) => {
    const parsed = new URL(uri);
    return parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1' && parsed.pathname === path;
  };
  provider.Client.prototype.redirectUriAllowed = (uri: string) => loopback(uri, '/auth/callback');
  provider.Client.prototype.postLogoutRedirectUriAllowed = (uri: string) => loopback(uri, '/');
  return { url: server.url, clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, close: server.close };
}

function configuration(bySubject: Map<string, DevAccount>): Configuration {
  return {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: DEV_CLIENT_SECRET,
        redirect_uris: ['http://127.0.0.1/auth/callback'],
        post_logout_redirect_uris: ['http://127.0.0.1/'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['development-identity-provider-only'] },
    findAccount: (_ctx, subject) => {
      const account = bySubject.get(subject);
      if (!account) return undefined;
      return {
        accountId: subject,
        claims: () => ({ sub: subject, email: account.email, email_verified: true, name: account.name }),
      };
    },
    // First-party client: consent is implied, so the login form is the only page.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return Grant.find(grantId);
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  };
}

async function interact(
  provider: Provider,
  byEmail: Map<string, DevAccount>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  if (request.method !== 'POST') return page(response, details.uid, '');
  const form = new URLSearchParams(await bodyOf(request));
  const account = byEmail.get((form.get('email') ?? '').trim().toLowerCase());
  if (!account || form.get('password') !== account.password) {
    return page(response, details.uid, 'Wrong e-mail or password.');
  }
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId: account.subject } },
    {
      mergeWithLastSubmission: false,
    },
  );
}

function page(response: ServerResponse, uid: string, error: string): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Development identity provider</title></head>
<body><h1>Development identity provider</h1><p>For development and tests only.</p>
<p role="alert">${error}</p>
<form method="post" action="/interaction/${uid}">
<label>E-mail <input name="email" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`);
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}
