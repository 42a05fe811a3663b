import { Page } from 'playwright-core';
import { PLAN_CONTENT, expectOk } from '../pipeline/kur-fixtures';
import { choose } from './choose';
import { checkPage, checkedPages } from './page-checks';
import { pressAndRelease } from './press';
import { WebWorld, startWebWorld } from './web-world';

const GOAL = PLAN_CONTENT.goals[0].statement;
const number = new Intl.NumberFormat('sv-SE');

/** Presses Tab until the focused element has this accessible text, as a keyboard user would; fails after `limit` presses. */
async function tabTo(page: Page, text: RegExp, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    // A string, not a function: the tests compile without the DOM's types.
    const focused = await page.evaluate<string>(`(() => {
      const element = document.activeElement;
      return element ? ((element.getAttribute('aria-label') ?? '') + ' ' + (element.innerText ?? '')).trim() : '';
    })()`);
    if (text.test(focused)) return;
  }
  throw new Error(`Tab never reached ${text}`);
}

/** The chief's pages (issue 12): inbox, handover, accept, follow-up report, plan history; and what another chief cannot see. */
describe("association chief's pages (Chromium)", () => {
  let world: WebWorld;

  beforeAll(async () => {
    world = await startWebWorld();
  }, 240_000);
  afterAll(async () => {
    console.log(`Pages checked with axe and screenshots: ${checkedPages.join(', ')}`);
    await world?.close();
  });

  it('opens the new handover from the inbox, reads a goal and a PRIO figure, and accepts it after confirming', async () => {
    const { newHandoverId, newAreaName } = world.seeded;
    const handover = await expectOk(world.api.request('GET', `/api/v1/handovers/${newHandoverId}`));
    const prio = handover.package.prioInventories[0];

    const page = await world.signIn(world.chief, '/inkorg');
    await page.getByRole('heading', { level: 1, name: 'Inkorg' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: newAreaName }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ny');
    expect(await row.textContent()).toContain('Stockholm');
    await checkPage(page, 'chief-inbox');

    await page.getByLabel('Visa status').selectOption('ACCEPTED');
    await page.getByRole('link', { name: newAreaName }).waitFor({ state: 'detached' });
    await page.getByLabel('Visa status').selectOption('DELIVERED');
    await row.getByRole('link', { name: newAreaName }).click();

    await page.waitForURL(`${world.url}/overlamningar/${newHandoverId}`);
    await page.getByRole('heading', { level: 1, name: `Överlämning: ${newAreaName}` }).waitFor();
    await page.getByRole('button', { name: /Samverkansplan: Samverkansplan/ }).click();
    await page.getByRole('rowheader', { name: GOAL }).waitFor();
    const goalRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: GOAL }) });
    expect(await goalRow.textContent()).toContain(PLAN_CONTENT.goals[0].target);
    const prioTable = page.getByRole('table', { name: 'PRIO-inventeringar per kommun och år' });
    const prioRow = prioTable
      .getByRole('row')
      .filter({ hasText: String(prio.year) })
      .first();
    expect(await prioRow.textContent()).toContain(number.format(prio.inventoriedPersons));
    expect(await page.getByRole('img', { name: /Stapeldiagram över den senaste PRIO-inventeringen/ }).count()).toBe(1);
    await checkPage(page, 'chief-handover');

    await page.getByRole('button', { name: 'Acceptera överlämningen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Beslutet kan inte ångras här').waitFor();
    await checkPage(page, 'chief-handover-confirm');
    await dialog.getByRole('button', { name: 'Ja, acceptera' }).click();
    await page.getByRole('status').filter({ hasText: 'Överlämningen är accepterad' }).waitFor();
    expect((await expectOk(world.api.request('GET', `/api/v1/handovers/${newHandoverId}`))).status).toBe('ACCEPTED');
    expect(await page.getByRole('button', { name: 'Acceptera överlämningen' }).count()).toBe(0);
  });

  it('reports the due follow-up round: the form shows what is missing, then sends one answer per goal and measure', async () => {
    const { dueRoundId, planId } = world.seeded;
    const page = await world.signIn(world.chief, '/uppfoljning');
    await page.getByRole('heading', { level: 1, name: 'Uppföljning' }).waitFor();
    const due = page.getByRole('region', { name: 'Att rapportera', exact: true });
    await due.getByRole('link', { name: 'Rapportera: Samverkansplan' }).waitFor();
    await checkPage(page, 'chief-follow-ups');

    await due.getByRole('link', { name: 'Rapportera: Samverkansplan' }).click();
    await page.waitForURL(`${world.url}/uppfoljning/${dueRoundId}`);
    await page.getByRole('heading', { level: 1, name: 'Rapportera uppföljning: Samverkansplan' }).waitFor();
    await checkPage(page, 'chief-follow-up-form');

    await page.getByRole('button', { name: 'Skicka rapporten' }).click();
    await page.getByText('Rapporten är inte komplett').waitFor();
    await checkPage(page, 'chief-follow-up-form-errors');

    const goal = page.getByRole('group', { name: new RegExp(`Mål 1: ${GOAL}`) });
    await goal.getByLabel(/Nuvarande värde/).fill('18 %');
    await choose(goal, 'Enligt plan');
    await goal.getByLabel(/Kommentar/).fill('Fler remisser från Arbetsförmedlingen än väntat');
    const measure = page.getByRole('group', { name: /Åtgärd 1:/ });
    await choose(measure, 'Ja');
    await pressAndRelease(page.getByRole('button', { name: 'Skicka rapporten' }));
    const saved = page.getByRole('status').filter({ hasText: 'Uppföljningen är rapporterad' });
    await saved.or(page.getByRole('alert')).or(page.getByText('Rapporten är inte komplett')).first().waitFor();
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    await saved.waitFor();

    const round = await expectOk(world.api.request('GET', `/api/v1/follow-ups/${dueRoundId}`));
    expect(round.status).toBe('SUBMITTED');
    expect(round.reports.at(-1)).toEqual(
      expect.objectContaining({
        goals: [
          {
            goalIndex: 0,
            currentValue: '18 %',
            status: 'ON_TRACK',
            comment: 'Fler remisser från Arbetsförmedlingen än väntat',
          },
        ],
        measures: [{ measureIndex: 0, done: true, comment: null }],
      }),
    );

    await page.getByRole('link', { name: 'planens historik' }).click();
    await page.waitForURL(`${world.url}/planer/${planId}/uppfoljning`);
    const history = page.getByRole('table', { name: 'Rapporterat för mål 1' });
    await history.getByRole('cell', { name: '18 %' }).waitFor();
    expect(await history.textContent()).toContain('Enligt plan');
    await checkPage(page, 'chief-plan-history');
  });

  it("does not show another chief the first chief's handover, in the inbox or by its address", async () => {
    const page = await world.signIn(world.otherChief, '/inkorg');
    await page.getByRole('link', { name: 'Grannområdet med partner' }).waitFor();
    expect(await page.getByRole('link', { name: world.seeded.newAreaName }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Stockholm stad med partner' }).count()).toBe(0);

    await page.goto(`${world.url}/overlamningar/${world.seeded.newHandoverId}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/finns inte.*behörighet/);
    expect(await page.getByText(GOAL).count()).toBe(0);
    await checkPage(page, 'chief-handover-not-found');
  });

  it('accepts a handover with the keyboard alone', async () => {
    const page = await world.signIn(world.otherChief, '/inkorg');
    await page.getByRole('link', { name: 'Grannområdet med partner' }).waitFor();
    await tabTo(page, /^Grannområdet med partner/);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${world.url}/overlamningar/${world.seeded.otherHandoverId}`);
    await page.getByRole('heading', { level: 1, name: 'Överlämning: Grannområdet med partner' }).waitFor();

    await tabTo(page, /^Acceptera överlämningen$/);
    await page.keyboard.press('Space');
    await page.getByRole('dialog').getByText('Beslutet kan inte ångras här').waitFor();
    await tabTo(page, /^Ja, acceptera$/, 10);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Överlämningen är accepterad' }).waitFor();
    const read = await expectOk(world.api.request('GET', `/api/v1/handovers/${world.seeded.otherHandoverId}`));
    expect(read.status).toBe('ACCEPTED');
  });
});
