import { expectOk } from '../pipeline/kur-fixtures';
import { checkPage, checkedPages } from './page-checks';
import { WebWorld, startWebWorld } from './web-world';

/** The app around the pages: sign-in, each role's menu and first page, a lost session, caching. */
describe('web app shell (Chromium)', () => {
  let world: WebWorld;

  beforeAll(async () => {
    world = await startWebWorld();
  }, 180_000);
  afterAll(async () => {
    console.log(`Pages checked with axe and screenshots: ${checkedPages.join(', ')}`);
    await world?.close();
  });

  const menu = (page: import('playwright-core').Page) =>
    page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('menuitem').allTextContents();

  it("gives an administrator the administrator's menu and the resolution queue first", async () => {
    const page = await world.signIn(world.admin);
    await page.waitForURL(`${world.url}/att-fordela`);
    const items = (await menu(page)).map((text) => text.trim());
    expect(items).toEqual(
      expect.arrayContaining(['Att fördela', 'Leveranser', 'Synkroniseringar', 'Återrapportering', 'Användare']),
    );
    expect(items).not.toContain('Inkorg');
    expect(await page.getByRole('banner').textContent()).toContain(world.admin.name);
  });

  it("gives a chief the chief's menu, the inbox first, and sends them home from an administrator's page", async () => {
    const page = await world.signIn(world.chief);
    await page.waitForURL(`${world.url}/inkorg`);
    expect((await menu(page)).map((text) => text.trim())).toEqual(['Inkorg', 'Uppföljning']);
    await page.goto(`${world.url}/att-fordela`);
    await page.waitForURL(`${world.url}/inkorg`);
    // The server refuses regardless of the app.
    const token = await world.api.tokenFor('ASSOCIATION_CHIEF' as never, { association: world.chief.associationId });
    expect((await world.api.request('GET', '/api/v1/resolution-cases', { token })).status).toBe(403);
  });

  it('sends a person whose session was lost to sign-in and back to the page they were on', async () => {
    const page = await world.signIn(world.chief, '/uppfoljning');
    await page.waitForURL(`${world.url}/uppfoljning`);
    await page.context().clearCookies({ name: /kur-session$/ });
    await page.reload();
    // The provider still knows the browser, so it sends it straight back through the callback.
    await page.waitForURL(`${world.url}/uppfoljning`);
    await page.getByRole('heading', { level: 1, name: 'Uppföljning' }).waitFor();
    const cookies = await page.context().cookies(world.url);
    expect(cookies.some((cookie) => /kur-session$/.test(cookie.name))).toBe(true);
  });

  it('serves hashed assets for a year and index.html uncached, and leaves unknown paths to the API', async () => {
    const index = await fetch(`${world.url}/inkorg`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${world.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    // Read to the end: a response left unread holds its connection open.
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const unknown = await fetch(`${world.url}/no-such-page`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await expectOk(world.api.request('GET', '/api/v1/me'))).role).toBe('ADMIN');
  });

  it('explains the not-found page in Swedish inside the app', async () => {
    const page = await world.signIn(world.admin, '/inkorg/okand/sida');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkPage(page, 'admin-start');
  });
});
