import { Browser, BrowserContext } from 'playwright-core';
import { createHttpApp } from '../../src/http-app';
import { ApiModule } from '../../src/api.module';
import { CookiePolicy } from '../../src/people/session-cookie';
import { DEMO_ADMIN, DEMO_COORDINATOR, DEV_PASSWORD } from '../fakes/dev-accounts';
import { FinsamRegistry, startFinsamRegistry } from '../fakes/finsam-registry';
import { referenceAssociations } from '../fakes/reference-registry';
import { expectOk } from '../pipeline/kur-fixtures';
import { expectProblem } from '../support/assertions';
import { createDatabase, dropDatabase } from '../support/databases';
import { databaseUrl, templateDatabase, testConfig, uniqueName } from '../support/environment';
import { freePort } from '../support/private-services';
import { ServiceProcess, spawnService, waitForApi } from '../support/processes';
import {
  RunningProvider,
  launchBrowser,
  sessionCookie,
  signInSettings,
  signInWithBrowser,
  startProviderProcess,
} from '../support/sign-in';
import { TestApp, deleteQueueKeys, request, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const reference = referenceAssociations();
const STOCKHOLM = reference.find((row) => row.name === 'Samordningsförbundet Stockholms stad')!;
const OTHER = reference.find((row) => row.name !== STOCKHOLM.name)!;
const NEW_CHIEF = { name: 'Fiktiv Efterträdare', email: 'ny.chef@stockholms-stad.example' };

describe('browser sign-in (OpenID Connect, Chromium)', () => {
  let provider: RunningProvider;
  let registry: FinsamRegistry;
  let api: TestApp;
  let port: number;
  let chromium: Browser;
  let ids: Map<string, string>;

  /** A person's own browser (a context of its own: no cookies shared). */
  const browser = (): Promise<BrowserContext> => chromium.newContext();
  /** A request carrying only the session cookie (no bearer token). */
  const withCookie = (
    method: string,
    path: string,
    cookie: string | undefined,
    headers: Record<string, string> = {},
    body?: unknown,
  ) =>
    request<any>(api.url, method, path, { token: null, headers: { ...headers, ...(cookie ? { cookie } : {}) }, body });

  beforeAll(async () => {
    chromium = await launchBrowser();
    provider = await startProviderProcess([{ ...STOCKHOLM, chief: NEW_CHIEF }]);
    registry = await startFinsamRegistry({ associations: reference, pageSize: 50 });
    port = await freePort();
    api = await startTestApp(
      {
        ...signInSettings(provider, port),
        ADMIN_EMAILS: DEMO_ADMIN.email,
        REGISTRY_URL: registry.url,
        // Every person here signs in from 127.0.0.1; the limit has its own test below.
        RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
      },
      { worker: true, port },
    );
    const associations = (await expectOk(api.request('GET', '/api/v1/associations?limit=200'))).items;
    ids = new Map(associations.map((row: { externalId: string; id: string }) => [row.externalId, row.id]));
  });
  afterAll(async () => {
    await chromium?.close();
    await api?.close();
    await Promise.all([provider?.close(), registry?.close()]);
  });

  it("lets a chief sign in, read only their association's feed, sign out; the old cookie is then refused", async () => {
    const context = await browser();
    const page = await signInWithBrowser(context, api.url, STOCKHOLM.chief!.email, DEV_PASSWORD);
    const me = JSON.parse((await page.textContent('body')) as string);
    expect(me).toMatchObject({
      role: 'ASSOCIATION_CHIEF',
      associationId: ids.get(STOCKHOLM.externalId),
      user: { email: STOCKHOLM.chief!.email },
    });

    const feed = await page.goto(`${api.url}/api/v1/associations/${ids.get(STOCKHOLM.externalId)}/handovers`);
    expect(feed?.status()).toBe(200);
    const other = await page.goto(`${api.url}/api/v1/associations/${ids.get(OTHER.externalId)}/handovers`);
    expect(other?.status()).toBe(404);

    const cookie = await sessionCookie(context, api.url);
    const listed = await withCookie('GET', '/api/v1/associations', cookie);
    expect(listed.body.items.map((row: { id: string }) => row.id)).toEqual([ids.get(STOCKHOLM.externalId)]);

    await page.goto(`${api.url}/api/v1/me`);
    const signedOut = await page.evaluate(async (token) => {
      const response = await fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': token } });
      return {
        status: response.status,
        body: (await response.json()) as { signedOut: boolean; endSessionUrl: string },
      };
    }, me.csrfToken as string);
    expect(signedOut).toMatchObject({ status: 200, body: { signedOut: true } });
    expect(signedOut.body.endSessionUrl).toMatch(new RegExp(`^${provider.url}/session/end\\?`));
    expectProblem(await withCookie('GET', '/api/v1/me', cookie), 401);

    const audit = await expectOk(api.request('GET', `/api/v1/audit-events?entityType=user&entityId=${me.user.id}`));
    expect(audit.items.map((event: { action: string }) => event.action)).toEqual(['user.signed_in', 'user.signed_out']);
  });

  it("opens the queue dashboard in an administrator's browser, and not in a chief's", async () => {
    const admin = await browser();
    const page = await signInWithBrowser(admin, api.url, DEMO_ADMIN.email, DEV_PASSWORD, '/admin/queues');
    const dashboard = await page.goto(`${api.url}/admin/queues`);
    expect(dashboard?.status()).toBe(200);
    expect(dashboard?.headers()['content-type']).toMatch(/text\/html/);

    const chief = await browser();
    await signInWithBrowser(chief, api.url, OTHER.chief!.email, DEV_PASSWORD);
    expectProblem(await withCookie('GET', '/admin/queues', await sessionCookie(chief, api.url)), 403);
    expectProblem(await withCookie('GET', '/admin/queues', undefined), 401);
  });

  it('moves chief access with the registry: the replaced chief is refused at the next request, the new one gets in', async () => {
    const old = await browser();
    await signInWithBrowser(old, api.url, STOCKHOLM.chief!.email, DEV_PASSWORD);
    const oldCookie = await sessionCookie(old, api.url);
    expect((await withCookie('GET', '/api/v1/me', oldCookie)).status).toBe(200);

    registry.setAssociations(
      reference.map((row) => (row.externalId === STOCKHOLM.externalId ? { ...row, chief: NEW_CHIEF } : row)),
    );
    const started = await expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind: 'REGISTRY' } }));
    await waitFor(
      async () => (await expectOk(api.request('GET', `/api/v1/sync-runs/${started.id}`))).status === 'SUCCEEDED',
      { what: 'the registry sync' },
    );

    const refused = await withCookie(
      'GET',
      `/api/v1/associations/${ids.get(STOCKHOLM.externalId)}/handovers`,
      oldCookie,
    );
    expectProblem(refused, 403);
    expect(refused.body.type).toBe('/problems/no-role');
    expect(refused.body.detail).toMatch(/administrator|registry/);

    const successor = await browser();
    const page = await signInWithBrowser(successor, api.url, NEW_CHIEF.email, DEV_PASSWORD);
    expect(JSON.parse((await page.textContent('body')) as string)).toMatchObject({
      role: 'ASSOCIATION_CHIEF',
      associationId: ids.get(STOCKHOLM.externalId),
    });
  });

  it('gives a person no role until an administrator grants one, and takes it back on revocation (audited)', async () => {
    const context = await browser();
    const page = await signInWithBrowser(context, api.url, DEMO_COORDINATOR.email, DEV_PASSWORD);
    expect(JSON.parse((await page.textContent('body')) as string)).toMatchObject({
      status: 403,
      type: '/problems/no-role',
    });
    const cookie = await sessionCookie(context, api.url);

    const users = (await expectOk(api.request('GET', '/api/v1/users?limit=200'))).items;
    const person = users.find((user: { email: string }) => user.email === DEMO_COORDINATOR.email);
    const areas: string[] = [];
    for (const [name, code] of [
      ['Solna med partner', '0184'],
      ['Sundbyberg med partner', '0183'],
    ]) {
      const body = { name, kurRegion: 'STOCKHOLM', kurPhase: 'KUR2', grantedSek: 100000, municipalityCodes: [code] };
      areas.push((await expectOk(api.request('POST', '/api/v1/areas', { body }))).id);
    }
    const grants = [];
    for (const areaId of areas) {
      grants.push(
        await expectOk(
          api.request('POST', `/api/v1/users/${person.id}/grants`, { body: { role: 'COORDINATOR', areaId } }),
        ),
      );
    }
    expectProblem(
      await api.request('POST', `/api/v1/users/${person.id}/grants`, {
        body: { role: 'COORDINATOR', areaId: areas[0] },
      }),
      409,
    );
    expectProblem(
      await api.request('POST', `/api/v1/users/${person.id}/grants`, { body: { role: 'COORDINATOR' } }),
      400,
    );
    expect((await withCookie('GET', '/api/v1/me', cookie)).body).toMatchObject({
      role: 'COORDINATOR',
      areaIds: [...areas].sort(),
    });
    expectProblem(await withCookie('GET', '/api/v1/users', cookie), 403);

    for (const grant of grants) {
      expect((await api.request('DELETE', `/api/v1/users/${person.id}/grants/${grant.id}`)).status).toBe(204);
    }
    expect((await withCookie('GET', '/api/v1/me', cookie)).body.type).toBe('/problems/no-role');
    const audit = await expectOk(
      api.request('GET', `/api/v1/audit-events?entityType=user&entityId=${person.id}&limit=200`),
    );
    expect(audit.items.map((event: { action: string }) => event.action)).toEqual([
      'user.signed_in',
      'user.role_granted',
      'user.role_granted',
      'user.role_revoked',
      'user.role_revoked',
    ]);
  });

  describe('changes made with the cookie', () => {
    let cookie: string | undefined;
    let csrfToken: string;

    beforeAll(async () => {
      const context = await browser();
      const page = await signInWithBrowser(context, api.url, DEMO_ADMIN.email, DEV_PASSWORD);
      csrfToken = JSON.parse((await page.textContent('body')) as string).csrfToken;
      cookie = await sessionCookie(context, api.url);
    });

    it('refuses a cross-origin POST with a valid cookie (403 problem) and takes a same-origin one with the CSRF token', async () => {
      const body = { email: 'ny.samordnare@region.example' };
      const crossSite = await withCookie(
        'POST',
        '/api/v1/users',
        cookie,
        {
          origin: 'http://evil.example',
          'sec-fetch-site': 'cross-site',
          'x-csrf-token': csrfToken,
        },
        body,
      );
      expectProblem(crossSite, 403);
      expect(crossSite.body.type).toBe('/problems/csrf');
      const tokenless = await withCookie(
        'POST',
        '/api/v1/users',
        cookie,
        { origin: api.url, 'sec-fetch-site': 'same-origin' },
        body,
      );
      expectProblem(tokenless, 403);

      const sameOrigin = await withCookie(
        'POST',
        '/api/v1/users',
        cookie,
        {
          origin: api.url,
          'sec-fetch-site': 'same-origin',
          'x-csrf-token': csrfToken,
        },
        body,
      );
      expect(sameOrigin.status).toBe(201);
      expect(sameOrigin.body.email).toBe(body.email);
    });

    it('refuses a session past its idle timeout, and one past its lifetime (the clock moved by configuration)', async () => {
      const later = async (minutes: number, settings: Record<string, string> = {}) => {
        const config = testConfig({
          ...settings,
          ...signInSettings(provider, port),
          ADMIN_EMAILS: DEMO_ADMIN.email,
          DATABASE_URL: api.config.DATABASE_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          CLOCK_NOW: new Date(Date.now() + minutes * 60_000).toISOString(),
        });
        const app = await createHttpApp(config, ApiModule.forRoot(config));
        await app.listen({ port: 0, host: '127.0.0.1' });
        try {
          const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
          return await request<any>(url, 'GET', '/api/v1/me', { token: null, headers: { cookie: cookie as string } });
        } finally {
          await app.close();
        }
      };
      expect((await later(29)).status).toBe(200);
      expectProblem(await later(29 + 31), 401);
      expectProblem(await withCookie('GET', '/api/v1/me', cookie), 401);

      const context = await browser();
      await signInWithBrowser(context, api.url, DEMO_ADMIN.email, DEV_PASSWORD);
      cookie = await sessionCookie(context, api.url);
      const busy = { SESSION_IDLE_TIMEOUT: '24h', SESSION_MAX_LIFETIME: '12h' };
      expect((await later(11 * 60, busy)).status).toBe(200);
      expectProblem(await later(12 * 60 + 1, busy), 401);
    });
  });

  it('sets the cookie HttpOnly, SameSite=Lax, path /, and gives a new session id at every sign-in', async () => {
    const context = await browser();
    await signInWithBrowser(context, api.url, OTHER.chief!.email, DEV_PASSWORD);
    const [first] = (await context.cookies(api.url)).filter((cookie) => cookie.name === 'kur-session');
    expect(first).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    await signInWithBrowser(context, api.url, OTHER.chief!.email, DEV_PASSWORD);
    const [second] = (await context.cookies(api.url)).filter((cookie) => cookie.name === 'kur-session');
    expect(second.value).not.toBe(first.value);
    expectProblem(await withCookie('GET', '/api/v1/me', `kur-session=${first.value}`), 401);
    expect((await withCookie('GET', '/api/v1/me', `kur-session=${second.value}`)).status).toBe(200);

    const https = new CookiePolicy(
      testConfig({ ...signInSettings(provider, port), PUBLIC_URL: 'https://kur.example.org' }),
    );
    expect(https.session).toBe('__Host-kur-session');
    expect(https.options()).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax', path: '/' });
  });

  it('audits a failed sign-in with its reason and answers a 401 problem', async () => {
    const failed = await request<any>(api.url, 'GET', '/auth/callback?code=forged&state=forged', { token: null });
    expectProblem(failed, 401);
    expect(failed.body).toMatchObject({
      type: '/problems/sign-in-failed',
      detail: expect.stringMatching(/no sign-in in progress/),
    });
    const audit = await expectOk(api.request('GET', '/api/v1/audit-events?entityType=user&entityId=-'));
    expect(
      audit.items.map((event: { action: string; changes: unknown }) => [event.action, event.changes]),
    ).toContainEqual(['user.sign_in_failed', { reason: expect.stringMatching(/no sign-in in progress/) }]);
  });

  it('sends the browser back only to paths of this service (returnTo)', async () => {
    const page = await (await browser()).newPage();
    await page.goto(`${api.url}/auth/login?returnTo=${encodeURIComponent('//evil.example/x')}`);
    await page.fill('input[name=email]', OTHER.chief!.email);
    await page.fill('input[name=password]', DEV_PASSWORD);
    // Anything else than a path of this service sends the browser to the service's own start (the web app).
    const home = (url: URL) => url.origin === api.url && !url.pathname.startsWith('/auth');
    await Promise.all([page.waitForURL(home), page.click('button[type=submit]')]);
    for (const returnTo of ['https://evil.example/', '/\\evil.example', '/api/v1/me\r\nx']) {
      await page.goto(`${api.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      await page.waitForURL(home);
      expect(new URL(page.url()).origin).toBe(api.url);
    }
  });
});

describe('sign-in in the built service process', () => {
  let provider: RunningProvider;
  let chromium: Browser;
  let service: ServiceProcess;
  let url: string;
  const database = uniqueName('kur_test');
  const queuePrefix = uniqueName('kurtest');

  beforeAll(async () => {
    chromium = await launchBrowser();
    provider = await startProviderProcess();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await createDatabase(database, templateDatabase());
    service = spawnService(
      'main',
      testConfig({
        ...signInSettings(provider, port),
        DATABASE_URL: databaseUrl(database),
        QUEUE_PREFIX: queuePrefix,
        PORT: String(port),
        LOG_LEVEL: 'debug',
        ADMIN_EMAILS: DEMO_ADMIN.email,
        RATE_LIMIT_SIGN_IN_PER_MINUTE: '4',
      }),
    );
    await waitForApi(url, service);
  });
  afterAll(async () => {
    await chromium?.close();
    await service?.kill();
    await provider?.close();
    // The service process is gone: its database and queue keys go too.
    await dropDatabase(database);
    await deleteQueueKeys(queuePrefix);
  });

  it('writes no session id, code, token or CSRF token to its log', async () => {
    const context = await chromium.newContext();
    const page = await signInWithBrowser(context, url, DEMO_ADMIN.email, DEV_PASSWORD);
    const { csrfToken } = JSON.parse((await page.textContent('body')) as string);
    const cookie = (await sessionCookie(context, url)) as string;
    await request(url, 'POST', '/auth/logout', { token: null, headers: { cookie, 'x-csrf-token': csrfToken } });
    const log = service.output();
    expect(log).toContain('/auth/callback');
    for (const secret of [cookie.split('=')[1], csrfToken]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/code=|state=|eyJ[A-Za-z0-9_-]{10,}|kur-sign-in=|kur-session=/);
  });

  it('limits sign-in requests per client: 429 problem+json with Retry-After', async () => {
    let answer: Response | undefined;
    await waitFor(async () => (answer = await fetch(`${url}/auth/login`, { redirect: 'manual' })).status === 429, {
      what: 'the sign-in limit',
    });
    expect(answer!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(answer!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await answer!.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
  });
});
