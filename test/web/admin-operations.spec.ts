import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { parseCsv } from '../../src/core/csv';
import { expectOk } from '../pipeline/kur-fixtures';
import { checkPage, checkedPages } from './page-checks';
import { pressAndRelease } from './press';
import { WebWorld, startWebWorld } from './web-world';

/** The national administrator's operations: sync runs, the national report, people and grants, the audit trail. */
describe('administrator operations (Chromium)', () => {
  let world: WebWorld;
  let page: Page;

  beforeAll(async () => {
    world = await startWebWorld();
    page = await world.signIn(world.admin, '/synkroniseringar');
  }, 180_000);
  afterAll(async () => {
    console.log(`Pages checked with axe and screenshots: ${checkedPages.join(', ')}`);
    await world?.close();
  });

  const heading = (level: number, name: string) => page.getByRole('heading', { level, name, exact: true });

  it('starts a PRIO sync and watches its progress bar reach the end', async () => {
    await heading(1, 'Synkroniseringar').waitFor();
    const table = page.getByRole('table');
    await table.getByRole('cell', { name: 'PRIO-inventeringar' }).first().waitFor();

    await page.getByRole('radio', { name: 'PRIO-inventeringar' }).check();
    await page.getByRole('button', { name: 'Starta synkronisering' }).click();
    const run = page.getByRole('region', { name: 'PRIO-inventeringar' });
    const bar = run.getByRole('progressbar', { name: 'Förlopp för PRIO-inventeringar' });
    await bar.waitFor();
    await run.locator('[role="progressbar"][aria-valuenow="100"]').waitFor({ timeout: 60_000 });
    await run.getByText('Status: Klar').waitFor();
    expect(await bar.getAttribute('aria-valuetext')).toBe('100 procent klart');

    const newest = (await expectOk(world.api.request('GET', '/api/v1/sync-runs?kind=PRIO&order=desc&limit=1')))
      .items[0];
    expect(newest).toMatchObject({ kind: 'PRIO', trigger: 'MANUAL', status: 'SUCCEEDED' });
    // The list shows the run that just ended, newest first, in Swedish.
    const firstRow = table.getByRole('row').nth(1);
    await firstRow.getByRole('cell', { name: 'Startad för hand' }).waitFor();
    expect(await firstRow.textContent()).toContain('Klar');
    await checkPage(page, 'admin-sync-runs');
  });

  it('shows the national report beside the final report and downloads a table as CSV for Swedish Excel', async () => {
    await page
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('menuitem', { name: 'Återrapportering' })
      .click();
    await heading(1, 'Återrapportering').waitFor();
    const title = 'Områden per KUR-region och status';
    await heading(2, title).waitFor();
    const section = page.getByRole('region', { name: title });
    await section.getByRole('img', { name: `Stapeldiagram: ${title}. Siffrorna finns i tabellen intill.` }).waitFor();
    const country = section.getByRole('row', { name: /Hela landet/ });
    expect(await country.textContent()).toContain('34'); // the final report's 34 areas beside ours
    await checkPage(page, 'admin-national-report');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('link', { name: `Ladda ner som CSV: ${title}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('aterrapportering-KUR2-areas-by-region.csv');
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1, text.indexOf('\r\n'))).toBe(
      'KUR-region;Områden;Utkast;Beviljade;Avslutade;Avslagna;Återtagna;Enligt slutrapporten;Källa',
    );
    const rows = parseCsv(text, { separator: ';' });
    const report = await expectOk(world.api.request('GET', '/api/v1/reports/national?phase=KUR2'));
    const json = report.tables.find((table: { id: string }) => table.id === 'areas-by-region');
    const stockholm = rows.find((row) => row['KUR-region'] === 'Stockholm');
    const jsonStockholm = json.rows.find((row: { region: string }) => row.region === 'Stockholm');
    expect(stockholm).toMatchObject({
      Områden: String(jsonStockholm.total),
      Avslutade: String(jsonStockholm.FINISHED),
      'Enligt slutrapporten': '8',
    });
    expect(Number(stockholm?.['Avslutade'])).toBeGreaterThanOrEqual(4); // the world's finished areas
    expect(rows.find((row) => row['KUR-region'] === 'Hela landet')?.['Enligt slutrapporten']).toBe('34');
  });

  it('adds a person by e-mail and makes them coordinator of an area chosen by name', async () => {
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('menuitem', { name: 'Användare' }).click();
    await heading(1, 'Användare').waitFor();
    await page.getByLabel('E-postadress').fill('nora.ny@fk.example');
    await page.getByLabel('Namn (frivilligt)').fill('Nora Ny');
    // A mouse press keeps the focus in the field until the click: the name typed last still goes.
    await pressAndRelease(page.getByRole('button', { name: 'Lägg till person' }));
    await heading(2, 'Roller för Nora Ny').waitFor();
    await page.getByText('Nora Ny har ingen roll ännu.', { exact: false }).waitFor();
    await page.getByRole('row', { name: /nora\.ny@fk\.example/ }).waitFor();

    await page.getByRole('radio', { name: 'Samordnare för ett område' }).check();
    await page.getByLabel('KUR-region').selectOption({ label: 'Stockholm' });
    const area = page.getByLabel('Område', { exact: false }).and(page.locator('select'));
    await area.locator('option', { hasText: world.seeded.newAreaName }).waitFor({ state: 'attached' });
    await area.selectOption({ label: `${world.seeded.newAreaName} (KUR 2)` });
    await page.getByRole('button', { name: 'Ge rollen' }).click();
    await page.getByText(`Nora Ny är nu samordnare för ${world.seeded.newAreaName}.`).waitFor();
    await page
      .getByRole('listitem')
      .filter({ hasText: `Samordnare för ett område: ${world.seeded.newAreaName}` })
      .waitFor();
    await page.getByRole('listitem').filter({ hasText: world.admin.name }).waitFor(); // granted by, by name
    await checkPage(page, 'admin-users');

    const people = await expectOk(world.api.request('GET', '/api/v1/users?limit=200'));
    const nora = people.items.find((user: { email: string }) => user.email === 'nora.ny@fk.example');
    const grants = await expectOk(world.api.request('GET', `/api/v1/users/${nora.id}/grants`));
    const areas = await expectOk(world.api.request('GET', '/api/v1/areas?kurRegion=STOCKHOLM&limit=200'));
    const chosen = areas.items.find((row: { name: string }) => row.name === world.seeded.newAreaName);
    expect(grants.items).toEqual([expect.objectContaining({ role: 'COORDINATOR', areaId: chosen.id })]);

    // The API's refusal of the same e-mail lands next to the field.
    await page.getByLabel('E-postadress').fill('NORA.NY@fk.example');
    await page.getByRole('button', { name: 'Lägg till person' }).click();
    await page.getByText('Det finns redan en person med den e-postadressen.').first().waitFor();
  });

  it("opens a handover's audit trail by link, with people and subjects by name", async () => {
    await page.goto(`${world.url}/granskning?typ=handover&id=${world.seeded.newHandoverId}`);
    await heading(1, 'Granskningslogg').waitFor();
    await page.getByText(`Överlämning: ${world.seeded.newAreaName} till ${world.chief.associationName}`).waitFor();
    const table = page.getByRole('table');
    await table.getByRole('cell', { name: 'Överlämningen skapades' }).waitFor();
    await table.getByRole('cell', { name: 'Överlämningen levererades' }).waitFor();
    await table.getByRole('cell', { name: 'Tjänsten (leveransen)' }).first().waitFor();
    expect(await table.textContent()).not.toContain(world.seeded.newHandoverId);
    await checkPage(page, 'admin-audit-handover');

    await page.getByRole('link', { name: 'Visa hela granskningsloggen' }).click();
    await page.waitForURL(`${world.url}/granskning`);
    // Newest first: the grant just made, by the administrator, named.
    const newest = page.getByRole('table').getByRole('row').nth(1);
    await newest.getByRole('cell', { name: 'Personen fick en roll' }).waitFor();
    await newest.getByText('Användare: Nora Ny (nora.ny@fk.example)').waitFor();
    await newest.getByText(`${world.admin.name} (${world.admin.email}), nationell administratör`).waitFor();
    await checkPage(page, 'admin-audit');
  });
});
