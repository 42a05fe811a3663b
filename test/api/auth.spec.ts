import { JWTPayload, KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startFakeServer } from '../fakes/http-fake';
import { createDatabase, dropDatabase } from '../support/databases';
import { JWT_SECRET, databaseUrl, templateDatabase, testConfig, uniqueName } from '../support/environment';
import { freePort } from '../support/private-services';
import { spawnService, waitForApi } from '../support/processes';
import { TestApp, deleteQueueKeys, request, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (no defaults), signed with the RS256 key or the development secret. */
const signRaw = (key: KeyLike | string, claims: JWTPayload) =>
  new SignJWT(claims)
    .setProtectedHeader(typeof key === 'string' ? { alg: 'HS256' } : { alg: 'RS256', kid: 'test-key' })
    .sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);

async function startJwks() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = await startFakeServer(() => ({ status: 200, body: { keys: [jwk] } }));
  return { privateKey, url: `${server.url}/.well-known/jwks.json`, close: () => server.close() };
}

/** Production tokens: verified against the identity provider's JWKS (a real HTTP server here). */
describe('bearer tokens from a JWKS', () => {
  let api: TestApp;
  let jwks: { url: string; close(): Promise<void> };
  let signingKey: KeyLike;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = await startFakeServer(() => ({ status: 200, body: { keys: [jwk] } }));
    api = await startTestApp({ AUTH_JWKS_URL: `${jwks.url}/.well-known/jwks.json` });
  });
  afterAll(async () => {
    await api.close();
    await jwks.close();
  });

  const sign = (key: KeyLike, claims: Record<string, unknown>, expires = '5m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(key);

  it('accepts a token the identity provider signed', async () => {
    const token = await sign(signingKey, { sub: 'admin@fk', role: 'ADMIN' });
    expect((await api.request('GET', '/api/v1/audit-events?limit=1', { token })).status).toBe(200);
  });

  it('refuses a token signed by another key, an expired one, or one without a known role', async () => {
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const forged = await sign(stranger, { sub: 'mallory', role: 'ADMIN' });
    expect((await api.request('GET', '/api/v1/counties', { token: forged })).status).toBe(401);
    const expired = await sign(signingKey, { sub: 'admin@fk', role: 'ADMIN' }, '-1m');
    expect((await api.request('GET', '/api/v1/counties', { token: expired })).status).toBe(401);
    const roleless = await sign(signingKey, { sub: 'someone', role: 'SUPERUSER' });
    expect((await api.request('GET', '/api/v1/counties', { token: roleless })).status).toBe(401);
    const chiefWithoutAssociation = await sign(signingKey, { sub: 'chief', role: 'ASSOCIATION_CHIEF' });
    expect((await api.request('GET', '/api/v1/counties', { token: chiefWithoutAssociation })).status).toBe(401);
  });

  it('still accepts development tokens when a development secret is configured too', async () => {
    expect((await api.request('GET', '/api/v1/counties', { token: api.tokens.admin })).status).toBe(200);
  });

  it.each([
    ['the identity provider', () => signingKey],
    ['the development secret', () => JWT_SECRET],
  ])('refuses tokens from %s that never expire, live too long or were issued in the future', async (_, key) => {
    const status = async (claims: JWTPayload) =>
      (
        await api.request('GET', '/api/v1/counties', {
          token: await signRaw(key(), { sub: 'x', role: 'ADMIN', ...claims }),
        })
      ).status;
    // The defaults: at most 24 hours from iat to exp, 60 seconds of clock skew.
    expect(await status({ iat: now(), exp: now() + HOUR })).toBe(200);
    expect(await status({ iat: now() - 23 * HOUR, exp: now() + HOUR - 60 })).toBe(200);
    expect(await status({ iat: now() + 30, exp: now() + HOUR })).toBe(200);
    expect(await status({ iat: now() })).toBe(401);
    expect(await status({ exp: now() + HOUR })).toBe(401);
    expect(await status({ iat: now(), exp: now() + 100 * 365 * 24 * HOUR })).toBe(401);
    expect(await status({ iat: now() - 25 * HOUR, exp: now() + HOUR })).toBe(401);
    expect(await status({ iat: now() + 10 * 60, exp: now() + HOUR })).toBe(401);
    expect(await status({ iat: now(), exp: now() + HOUR, nbf: now() + 10 * 60 })).toBe(401);
  });
});

describe('bearer tokens with a configured issuer, audience, lifetime and clock skew', () => {
  let api: TestApp;
  let jwks: Awaited<ReturnType<typeof startJwks>>;

  beforeAll(async () => {
    jwks = await startJwks();
    api = await startTestApp({
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: 'https://idp.example.org',
      AUTH_AUDIENCE: 'kur-handover',
      AUTH_TOKEN_MAX_LIFETIME: '1h',
      AUTH_CLOCK_SKEW: '5s',
    });
  });
  afterAll(async () => {
    await api.close();
    await jwks.close();
  });

  it.each([
    ['the identity provider', () => jwks.privateKey],
    ['the development secret', () => JWT_SECRET],
  ])('accepts tokens from %s only for this issuer and audience', async (_, key) => {
    const status = async (claims: JWTPayload) => {
      const token = await signRaw(key(), { sub: 'x', role: 'ADMIN', iat: now(), exp: now() + 600, ...claims });
      return (await api.request('GET', '/api/v1/counties', { token })).status;
    };
    const ours = { iss: 'https://idp.example.org', aud: 'kur-handover' };
    expect(await status(ours)).toBe(200);
    expect(await status({ ...ours, aud: ['other', 'kur-handover'] })).toBe(200);
    expect(await status({ aud: 'kur-handover' })).toBe(401);
    expect(await status({ iss: 'https://idp.example.org' })).toBe(401);
    expect(await status({ ...ours, iss: 'https://evil.example.org' })).toBe(401);
    expect(await status({ ...ours, aud: 'another-service' })).toBe(401);
    expect(await status({ ...ours, exp: now() + 2 * HOUR })).toBe(401);
    expect(await status({ ...ours, iat: now() + 20 })).toBe(401);
    // The harness mints its development tokens the way `npm run token` does, for this configuration.
    expect((await api.request('GET', '/api/v1/counties')).status).toBe(200);
  });
});

describe('why a token was refused, in the log', () => {
  it('logs each cause once and never the token, so an unreachable identity provider shows', async () => {
    const database = uniqueName('kur_test');
    await createDatabase(database, templateDatabase());
    const port = await freePort();
    const nobodyListens = await freePort();
    const config = testConfig({
      DATABASE_URL: databaseUrl(database),
      QUEUE_PREFIX: uniqueName('kurtest'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      AUTH_JWKS_URL: `http://127.0.0.1:${nobodyListens}/.well-known/jwks.json`,
    });
    const service = spawnService('main', config);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForApi(url, service);
      const { privateKey } = await generateKeyPair('RS256');
      const tokens = [
        await signRaw(privateKey, { sub: 'a', role: 'ADMIN', iat: now(), exp: now() + 60 }),
        await signRaw(privateKey, { sub: 'b', role: 'ADMIN', iat: now(), exp: now() + 60 }),
        await signRaw(JWT_SECRET, { sub: 'c', role: 'ADMIN', iat: now() - 120, exp: now() - 61 }),
        await signRaw(JWT_SECRET, { sub: 'd', role: 'ADMIN', iat: now() - 120, exp: now() - 61 }),
        await signRaw(JWT_SECRET, { sub: 'e', role: 'ADMIN', iat: now() }),
      ];
      for (const token of tokens) {
        expect((await request(url, 'GET', '/api/v1/counties', { token })).status).toBe(401);
      }
      const refusals = () =>
        service
          .output()
          .split('\n')
          .filter((line) => line.includes('Bearer token refused'))
          .map((line) => JSON.parse(line));
      await waitFor(() => refusals().length >= 3, { what: 'three refusals in the log' });
      expect(refusals()).toEqual([
        expect.objectContaining({ source: 'jwks', cause: expect.stringContaining('ECONNREFUSED') }),
        expect.objectContaining({ source: 'secret', cause: expect.stringContaining('exp') }),
        expect.objectContaining({ source: 'secret', cause: expect.stringContaining('exp') }),
      ]);
      expect(new Set(refusals().map((line) => line.cause)).size).toBe(3);
      for (const token of tokens) expect(service.output()).not.toContain(token.split('.')[2]);
    } finally {
      await service.kill();
      await dropDatabase(database);
      await deleteQueueKeys(config.QUEUE_PREFIX);
    }
  });
});
