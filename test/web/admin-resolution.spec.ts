import { Page } from 'playwright-core';
import { expectOk, finishedWork } from '../pipeline/kur-fixtures';
import { waitFor } from '../support/wait';
import { choose } from './choose';
import { pressAndRelease } from './press';
import { checkPage, checkedPages } from './page-checks';
import { WebWorld, startWebWorld } from './web-world';

/**
 * The national administrator's pages, end to end in Chromium on the real stack: the resolution
 * queue (Att fördela) down to the handover arriving at the association's receiver, the
 * association's endpoint and signing key, and a failed delivery delivered again (Leveranser).
 */
describe("administrator's pages: Att fördela, Samordningsförbund, Leveranser (Chromium)", () => {
  let world: WebWorld;

  beforeAll(async () => {
    world = await startWebWorld();
  }, 180_000);
  afterAll(async () => {
    console.log(`Pages checked with axe and screenshots: ${checkedPages.join(', ')}`);
    await world?.close();
  });

  const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
  const confirm = (page: Page, name: string | RegExp) => page.getByRole('dialog').getByRole('button', { name }).click();
  /**
   * Sends the form again right after the last correction, with the mouse, as a person does: the
   * corrected field still has the focus when the button is pressed (its message and the error list
   * above must not move the button before the release).
   */
  const submitCorrected = (page: Page) => pressAndRelease(page.getByRole('button', { name: 'Fördela' }));

  it('resolves a waiting municipality by assigning an association, and sees the handover delivered', async () => {
    const page = await world.signIn(world.admin);
    await page.waitForURL(`${world.url}/att-fordela`);
    await h1(page, 'Att fördela');
    const queue = page.getByRole('table', { name: /Kommuner som väntar på beslut/ });
    const row = queue.getByRole('row', { name: /Järfälla/ });
    await row.waitFor();
    expect(await row.textContent()).toEqual(expect.stringContaining('Stockholms län'));
    expect(await row.textContent()).toEqual(expect.stringContaining('Järfälla med partner'));
    await checkPage(page, 'admin-resolution-queue');

    // The county filter asks the API; a county with no waiting municipality shows none.
    await page.getByLabel('Län').selectOption({ label: 'Skåne län' });
    await page.getByText('Inga kommuner väntar på beslut med de här valen.').waitFor();
    await page.getByLabel('Län').selectOption({ label: 'Stockholms län' });
    await queue.getByRole('link', { name: world.seeded.openCaseMunicipality }).click();

    await page.waitForURL(`${world.url}/att-fordela/${world.seeded.openCaseId}`);
    await h1(page, 'Fördela Järfälla');
    const choice = page.getByRole('combobox', { name: /^Samordningsförbund/ });
    await choice.locator('option', { hasText: world.chief.associationName }).waitFor({ state: 'attached' });
    await checkPage(page, 'admin-resolution-case');

    // Nothing chosen: the form says what is missing, in the summary and next to the field.
    await page.getByRole('button', { name: 'Fördela' }).click();
    await page.getByText('Rätta följande innan du fördelar kommunen:').waitFor();
    await checkPage(page, 'admin-resolution-case-errors');

    await choice.selectOption({ label: world.chief.associationName });
    await submitCorrected(page);
    await confirm(page, 'Ja, fördela');
    await page
      .getByText(`Överlämningen är levererad till ${world.chief.associationName}.`)
      .waitFor({ timeout: 60_000 });
    await checkPage(page, 'admin-resolution-case-delivered');

    const found = await expectOk(world.api.request('GET', `/api/v1/resolution-cases/${world.seeded.openCaseId}`));
    expect(found).toMatchObject({ status: 'RESOLVED', resolution: 'ASSIGN_ASSOCIATION' });
    const received = world.receiver
      .deliveries(world.chief.associationId)
      .find((delivery) => delivery.payload.data.handoverId === found.handoverId);
    expect(received?.payload.data.municipalities).toEqual([{ code: '0123', name: 'Järfälla' }]);
    expect(await page.getByRole('link', { name: 'Öppna överlämningen' }).getAttribute('href')).toBe(
      `/overlamningar/${found.handoverId}`,
    );

    // The queue no longer holds it; the decided ones do.
    await page.getByRole('link', { name: 'Tillbaka till Att fördela' }).click();
    await page.getByText('Inga kommuner väntar på beslut med de här valen.').waitFor();
    await page.getByLabel('Visa').selectOption({ label: 'Avgjorda' });
    await page
      .getByRole('table', { name: /Avgjorda ärenden/ })
      .getByRole('row', { name: /Järfälla/ })
      .waitFor();
  });

  /** Another municipality outside every association, waiting: its case id. */
  async function waitingCase(areaName: string, municipalityCode: string): Promise<string> {
    const areaId = await finishedWork(world.api, areaName, [municipalityCode]);
    await expectOk(world.api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const found = await waitFor(
      async () =>
        (await expectOk(world.api.request('GET', '/api/v1/resolution-cases?status=OPEN&limit=200'))).items.find(
          (row: { municipalityCode: string }) => row.municipalityCode === municipalityCode,
        ),
      { what: `the open case of ${municipalityCode}` },
    );
    return found.id as string;
  }

  it('sends a municipality its handover directly, and waives another only with a reason', async () => {
    const [ekero, uppladsBro] = await Promise.all([
      waitingCase('Ekerö med partner', '0125'),
      waitingCase('Upplands-Bro med partner', '0139'),
    ]);
    const page = await world.signIn(world.admin, `/att-fordela/${ekero}`);
    await h1(page, 'Fördela Ekerö');
    await choose(page, 'Kommunen själv');
    await page.getByRole('textbox', { name: /^Kontaktperson i kommunen/ }).fill('Socialchefen i Ekerö');
    await page.getByRole('textbox', { name: /^Kontaktpersonens e-postadress/ }).fill('inte-en-adress');
    await page.getByRole('button', { name: 'Fördela' }).click();
    await page.getByText('Rätta följande innan du fördelar kommunen:').waitFor();
    await checkPage(page, 'admin-resolution-case-direct-errors');
    await page.getByRole('textbox', { name: /^Kontaktpersonens e-postadress/ }).fill('social@ekero.example');
    await submitCorrected(page);
    await confirm(page, 'Ja, fördela');
    await page.getByText('Överlämningen väntar tills kommunen har en mottagaradress.').waitFor({ timeout: 60_000 });
    const direct = await expectOk(world.api.request('GET', `/api/v1/resolution-cases/${ekero}`));
    expect(direct).toMatchObject({
      resolution: 'DIRECT_TO_MUNICIPALITY',
      resolutionDetail: { contactName: 'Socialchefen i Ekerö', contactEmail: 'social@ekero.example' },
    });

    await page.goto(`${world.url}/att-fordela/${uppladsBro}`);
    await h1(page, 'Fördela Upplands-Bro');
    await page.getByText('Ingen (avskriv överlämningen)').click();
    await page.getByRole('button', { name: 'Fördela' }).click();
    await page.getByRole('link', { name: /^Motivering/ }).waitFor(); // in the error summary
    await page.getByRole('textbox', { name: /^Motivering/ }).fill('Arbetet lever vidare i kommunens egen verksamhet.');
    await submitCorrected(page);
    await confirm(page, 'Ja, fördela');
    await page.getByText('Överlämningen är avskriven. Ingen tar emot den.').waitFor({ timeout: 60_000 });
    await page.getByText('Avskriven: Arbetet lever vidare i kommunens egen verksamhet.').waitFor();

    // The direct handover waits under Leveranser, with its municipality named.
    await page.goto(`${world.url}/leveranser`);
    await page.getByRole('article', { name: 'Ekerö med partner till Ekerö kommun (Socialchefen i Ekerö)' }).waitFor();
  });

  it('sends a chief who opens Att fördela to their own start page, and the API refuses them regardless', async () => {
    const page = await world.signIn(world.chief, '/att-fordela');
    await page.waitForURL(`${world.url}/inkorg`);
    const refused = await page.request.get(`${world.url}/api/v1/resolution-cases`);
    expect(refused.status()).toBe(403);
    const byCase = await page.request.get(`${world.url}/api/v1/resolution-cases/${world.seeded.openCaseId}`);
    expect(byCase.status()).toBe(403);
  });

  it('gives an association whose endpoint failed a new signing key (shown once), then delivers its failed handover again', async () => {
    const failed = await expectOk(world.api.request('GET', `/api/v1/handovers/${world.seeded.failedHandoverId}`));
    const associationId = failed.recipient.associationId as string;
    const name = failed.package.recipient.name as string;
    const area = failed.package.area.name as string;

    const page = await world.signIn(world.admin, '/samordningsforbund');
    await h1(page, 'Samordningsförbund');
    await page.getByLabel('Län').selectOption({ label: 'Stockholms län' });
    await page.getByRole('link', { name: world.chief.associationName }).waitFor();
    await checkPage(page, 'admin-associations');

    await page.goto(`${world.url}/samordningsforbund/${associationId}`);
    await h1(page, name);
    await page.getByText('Mottagaradressen är avstängd').waitFor();
    const member = failed.package.municipalities[0].name as string;
    await page
      .getByRole('table', { name: /Medlemskommuner/ })
      .getByRole('cell', { name: member })
      .waitFor();
    await checkPage(page, 'admin-association');

    await page.getByRole('button', { name: /Spara och (byt|skapa) signeringsnyckel/ }).click();
    await page.getByRole('dialog').waitFor();
    await confirm(page, /^Ja, (byt nyckel|spara)$/);
    const secretField = page.getByLabel('Signeringsnyckel', { exact: true });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await checkPage(page, 'admin-association-secret');
    const read = await world.api.request('GET', `/api/v1/associations/${associationId}`);
    expect(JSON.stringify(read.body)).not.toContain(secret.slice(6));
    expect(read.body.endpoint).toMatchObject({ secretSet: true, disabledAt: null });
    // The association's system now verifies with the key the administrator handed over.
    world.receiver.addReceiver(associationId, secret);

    await page.reload();
    await h1(page, name);
    await page.getByText('Finns (visas aldrig)').waitFor();
    expect(await page.getByLabel('Signeringsnyckel', { exact: true }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('menuitem', { name: 'Leveranser' }).click();
    await page.waitForURL(`${world.url}/leveranser`);
    await h1(page, 'Leveranser');
    const item = page.getByRole('article', { name: `${area} till ${name}` });
    await item.waitFor();
    await item
      .getByRole('table', { name: /Leveransförsök/ })
      .getByRole('cell', { name: /HTTP 410/ })
      .first()
      .waitFor();
    await checkPage(page, 'admin-deliveries');

    await item.getByRole('button', { name: /^Leverera igen/ }).click();
    await confirm(page, 'Ja, leverera igen');
    await item.getByText(`Överlämningen är levererad till ${name}.`).waitFor({ timeout: 60_000 });
    await waitFor(
      () =>
        world.receiver
          .deliveries(associationId)
          .find((delivery) => delivery.payload.data.handoverId === world.seeded.failedHandoverId),
      { what: 'the redelivered handover at the receiver' },
    );
    expect(
      (await expectOk(world.api.request('GET', `/api/v1/handovers/${world.seeded.failedHandoverId}`))).status,
    ).toBe('DELIVERED');
  });
});
