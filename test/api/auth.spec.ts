import { KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startFakeServer } from '../fakes/http-fake';
import { TestApp, startTestApp } from '../support/test-app';

/** Production tokens: verified against the identity provider's JWKS (a real HTTP server here). */
describe('bearer tokens from a JWKS', () => {
  let api: TestApp;
  let jwks: { url: string; close(): Promise<void> };
  let signingKey: KeyLike;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = await startFakeServer(() => Promise.resolve({ status: 200, body: { keys: [jwk] } }));
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
});
