import { randomBytes } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/auth/principal';
import { readReferenceData } from '../../src/municipalities/reference-data';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { DEMO_ADMIN, DEV_PASSWORD } from '../fakes/dev-accounts';
import { MailServer, startMailServer } from '../fakes/mail-server';
import { PrioFeed, startPrioFeed } from '../fakes/prio-feed';
import { referenceAssociations } from '../fakes/reference-registry';
import { associationByMember, expectOk, finishedWork, setEndpoint } from '../pipeline/kur-fixtures';
import { createDatabase, dropDatabase } from '../support/databases';
import { templateDatabase, uniqueName } from '../support/environment';
import { freePort } from '../support/private-services';
import { launchBrowser, signInSettings, signInWithBrowser, startProviderProcess } from '../support/sign-in';
import { TestApp, deleteQueueKeys, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** A person at the development identity provider. */
export interface Account {
  email: string;
  password: string;
  name: string;
}

export interface WebWorld {
  /** The API and worker (admin bearer token by default), with the clock at LATER. */
  api: TestApp;
  url: string;
  browser: Browser;
  receiver: AssociationReceiver;
  mail: MailServer;
  prio: PrioFeed;
  admin: Account;
  /** The chief of Samordningsförbundet Stockholms stad, and of another association. */
  chief: Account & { associationId: string; associationName: string };
  otherChief: Account & { associationId: string; associationName: string };
  seeded: {
    /** Delivered to the chief's association, not yet decided. */
    newHandoverId: string;
    newAreaName: string;
    /** Accepted half a year ago; its plan's follow-up round is due now. */
    acceptedHandoverId: string;
    dueRoundId: string;
    planId: string;
    /** Delivered to the other chief's association. */
    otherHandoverId: string;
    /** Järfälla (0123) belongs to no association: its case waits for an administrator. */
    openCaseId: string;
    openCaseMunicipality: string;
    /** Its association's receiver answers 410, so the delivery failed. */
    failedHandoverId: string;
  };
  /** A browser of that person's own (no shared cookies), signed in and on `path`. */
  signIn(account: Account, path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** When the first handover was accepted, and "now" for the browser tests: its follow-up round falls due between. */
export const EARLIER = '2016-01-15T09:00:00+01:00';
export const LATER = '2016-08-01T09:00:00+02:00';

const STOCKHOLM_CITY = '0180';
const UNCOVERED = '0123';

/** A stop slower than this is named in the output. */
const SLOW_STOP_SECONDS = 10;

/**
 * The world every browser test starts from: real API, worker, PostgreSQL, Redis, development
 * identity provider, SMTP server, association receivers and PRIO feed, with a history seeded
 * through the API in two steps of the clock (EARLIER, then LATER).
 */
export async function startWebWorld(): Promise<WebWorld> {
  const database = uniqueName('kur_web');
  const queuePrefix = uniqueName('kurweb');
  /**
   * What has started so far, stopped in reverse order at close or when the start fails half-way.
   * A stop that takes long is named, so that a hook running out of time says what held it.
   */
  const started: { what: string; stop: () => Promise<unknown>; waitingOn?: () => string[] }[] = [];
  const stopAll = async () => {
    for (const { what, stop, waitingOn } of started.splice(0).reverse()) {
      const slow = setTimeout(() => {
        const steps = waitingOn?.() ?? [];
        const detail = steps.length ? `; still running: ${steps.join(', ')}` : '';
        console.warn(`Web world: stopping ${what} has taken over ${SLOW_STOP_SECONDS} s${detail}`);
      }, SLOW_STOP_SECONDS * 1000);
      await stop()
        .catch(() => undefined)
        .finally(() => clearTimeout(slow));
    }
  };
  const keep = async <T>(
    what: string,
    thing: Promise<T>,
    stop: (value: T) => Promise<unknown>,
    waitingOn?: (value: T) => string[],
  ): Promise<T> => {
    const value = await thing;
    started.push({ what, stop: () => stop(value), waitingOn: waitingOn && (() => waitingOn(value)) });
    return value;
  };
  try {
    await keep('the database and queue keys', createDatabase(database, templateDatabase()), async () => {
      await dropDatabase(database);
      await deleteQueueKeys(queuePrefix);
    });
    const [browser, provider, receiver, mail, prio, port] = await Promise.all([
      keep('the browser', launchBrowser(), (value) => value.close()),
      keep('the identity provider', startProviderProcess(), (value) => value.close()),
      keep('the association receiver', startAssociationReceiver(), (value) => value.close()),
      keep('the mail server', startMailServer(), (value) => value.close()),
      keep('the PRIO feed', startPrioFeed({ municipalityCodes: allMunicipalityCodes(), pageSize: 100 }), (value) =>
        value.close(),
      ),
      freePort(),
    ]);
    const settings = {
      ...signInSettings(provider, port),
      ADMIN_EMAILS: DEMO_ADMIN.email,
      PRIO_FEED_URL: prio.url,
      SMTP_URL: mail.url,
      QUEUE_PREFIX: queuePrefix,
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
      PRIO_PAGE_SIZE: '100',
      // Both clocks' processes read the endpoint secrets the first one sealed.
      SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    const start = (clock: string) =>
      keep(
        `the app at ${clock}`,
        startTestApp({ ...settings, CLOCK_NOW: clock }, { worker: true, port, database }),
        (app) => app.close(),
        (app) => app.stopping(),
      );

    const earlier = await start(EARLIER);
    const history = await seedHistory(earlier, receiver);
    await earlier.close();
    const api = await start(LATER);
    const now = await seedPresent(api, receiver, history);
    return {
      api,
      url: api.url,
      browser,
      receiver,
      mail,
      prio,
      admin: { email: DEMO_ADMIN.email, password: DEV_PASSWORD, name: DEMO_ADMIN.name },
      chief: history.chief,
      otherChief: history.otherChief,
      seeded: { ...history.seeded, ...now },
      signIn: async (account, path = '/') => {
        const context = await keep(
          'a browser context',
          browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 900 } }),
          (value) => value.close(),
        );
        return signInWithBrowser(context, api.url, account.email, account.password, path);
      },
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const allMunicipalityCodes = (): string[] => readReferenceData().municipalities.map((row) => row.code);

type History = Awaited<ReturnType<typeof seedHistory>>;

/** At EARLIER: endpoints, PRIO figures, and a handover the chief accepted (its follow-up round due at LATER). */
async function seedHistory(api: TestApp, receiver: AssociationReceiver) {
  const stockholm = await associationByMember(api, STOCKHOLM_CITY);
  const other = await otherAssociation(api, stockholm.id);
  for (const association of [stockholm, other]) {
    await setEndpoint(api, association.id, receiver.addReceiver(association.id));
  }
  await runSync(api, 'PRIO');
  const areaId = await finishedWork(api, 'Stockholm stad med partner', [STOCKHOLM_CITY]);
  const [accepted] = await finishAndDeliver(api, areaId);
  const chiefToken = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id });
  await expectOk(
    api.request('POST', `/api/v1/handovers/${accepted.id}/decision`, {
      body: { decision: 'ACCEPTED' },
      token: chiefToken,
    }),
  );
  const planId = accepted.package.plans[0].id as string;
  return {
    chief: { ...chiefOf(stockholm), associationId: stockholm.id, associationName: stockholm.name },
    otherChief: { ...chiefOf(other), associationId: other.id, associationName: other.name },
    seeded: { acceptedHandoverId: accepted.id as string, planId },
  };
}

/** At LATER: the due round, a new handover for each chief, an open case and a failed delivery. */
async function seedPresent(api: TestApp, receiver: AssociationReceiver, history: History) {
  await runSync(api, 'FOLLOW_UP');
  const rounds = await expectOk(api.request('GET', `/api/v1/follow-ups?planId=${history.seeded.planId}`));
  const due = rounds.items.find((round: { status: string }) => round.status === 'DUE');
  if (!due) throw new Error(`no due follow-up round: ${JSON.stringify(rounds.items)}`);

  const newAreaName = 'Södermalm med partner';
  const [fresh] = await finishAndDeliver(api, await finishedWork(api, newAreaName, [STOCKHOLM_CITY]));
  const otherMember = (
    await expectOk(api.request('GET', `/api/v1/associations/${history.otherChief.associationId}/memberships`))
  ).items[0].municipalityCode as string;
  const [other] = await finishAndDeliver(api, await finishedWork(api, 'Grannområdet med partner', [otherMember]));

  const failing = await associationWithout(api, [history.chief.associationId, history.otherChief.associationId]);
  await setEndpoint(api, failing.id, receiver.addReceiver(failing.id));
  receiver.setFailure(failing.id, { status: 410 });
  const failingMember = (await expectOk(api.request('GET', `/api/v1/associations/${failing.id}/memberships`))).items[0]
    .municipalityCode as string;
  const [failed] = await finishAndDeliver(
    api,
    await finishedWork(api, 'Felande mottagare med partner', [failingMember]),
    ['FAILED'],
  );

  const uncoveredArea = await finishedWork(api, 'Järfälla med partner', [UNCOVERED]);
  await expectOk(api.request('POST', `/api/v1/areas/${uncoveredArea}/finish`));
  const openCase = await waitFor(
    async () =>
      (await expectOk(api.request('GET', `/api/v1/resolution-cases?status=OPEN`))).items.find(
        (row: { municipalityCode: string }) => row.municipalityCode === UNCOVERED,
      ),
    { what: 'the open resolution case of Järfälla', timeoutMs: 30_000 },
  );
  return {
    dueRoundId: due.id as string,
    newHandoverId: fresh.id as string,
    newAreaName,
    otherHandoverId: other.id as string,
    failedHandoverId: failed.id as string,
    openCaseId: openCase.id as string,
    openCaseMunicipality: 'Järfälla',
  };
}

/** Finishes the area and waits until each of its handovers reached one of `statuses`; returns them read in full. */
async function finishAndDeliver(api: TestApp, areaId: string, statuses = ['DELIVERED']): Promise<any[]> {
  await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
  const handovers = await waitFor(
    async () => {
      const page = await expectOk(api.request('GET', `/api/v1/handovers?areaId=${areaId}&limit=50`));
      const done =
        page.items.length > 0 && page.items.every((row: { status: string }) => statuses.includes(row.status));
      if (done) return page.items;
      // waitFor reports the last failure when its deadline passes.
      throw new Error(`statuses now: ${JSON.stringify(page.items.map((row: { status: string }) => row.status))}`);
    },
    { what: `the handovers of area ${areaId} to become ${statuses.join('/')}`, timeoutMs: 30_000 },
  );
  return Promise.all(
    handovers.map((row: { id: string }) => expectOk(api.request('GET', `/api/v1/handovers/${row.id}`))),
  );
}

async function runSync(api: TestApp, kind: string): Promise<void> {
  const run = await expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind } }));
  await waitFor(
    async () => {
      const read = await expectOk(api.request('GET', `/api/v1/sync-runs/${run.id}`));
      if (read.status === 'FAILED' || read.status === 'PARTIAL') throw new Error(`${kind} sync ${read.status}`);
      return read.status === 'SUCCEEDED' || undefined;
    },
    { what: `the ${kind} sync`, timeoutMs: 60_000 },
  );
}

/** The reference chief (development account) of an association. */
function chiefOf(association: { name: string }): Account {
  const record = referenceAssociations().find((row) => row.name === association.name);
  if (!record?.chief) throw new Error(`${association.name} has no chief in the reference registry`);
  return { email: record.chief.email, password: DEV_PASSWORD, name: record.chief.name };
}

/** An association in Stockholm's county with members, other than `except`. */
async function otherAssociation(api: TestApp, except: string): Promise<{ id: string; name: string }> {
  return associationWithout(api, [except], '01');
}

async function associationWithout(
  api: TestApp,
  except: string[],
  countyCode?: string,
): Promise<{ id: string; name: string }> {
  const query = countyCode ? `&countyCode=${countyCode}` : '';
  const page = await expectOk(api.request('GET', `/api/v1/associations?limit=200${query}`));
  for (const association of page.items as { id: string; name: string }[]) {
    if (except.includes(association.id)) continue;
    const members = await expectOk(api.request('GET', `/api/v1/associations/${association.id}/memberships`));
    if (members.items.length > 0) return association;
  }
  throw new Error('no other association with members');
}
