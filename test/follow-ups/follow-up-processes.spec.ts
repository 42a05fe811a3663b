import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config';
import { Role } from '../../src/auth/principal';
import { signDevelopmentToken } from '../../src/auth/token.service';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { MailServer, startMailServer } from '../fakes/mail-server';
import {
  PLAN_CONTENT,
  associationByMember,
  expectOk,
  finishedWork,
  handoversOf,
  patch,
  setEndpoint,
} from '../pipeline/kur-fixtures';
import { createDatabase, dropDatabase } from '../support/databases';
import { JWT_SECRET, databaseUrl, templateDatabase, testConfig, uniqueName } from '../support/environment';
import { freePort } from '../support/private-services';
import { ServiceProcess, spawnService, waitForApi } from '../support/processes';
import { FAST_PIPELINE, TestApp, deleteQueueKeys, request } from '../support/test-app';
import { waitFor } from '../support/wait';

const ACCEPTED = '2027-01-15T10:00:00+01:00';
const DUE = '2027-07-16T06:00:00+02:00';
const OVERDUE = '2027-08-20T06:00:00+02:00';

/**
 * The follow-up lifecycle with the built API and workers, the clock moved by configuration:
 * processes started "half a year later" run the daily job. A due round is announced once by push
 * and once by e-mail even with two workers and the sending one killed mid-send.
 */
describe('follow-up announcements with real processes', () => {
  const database = uniqueName('kur_followup');
  const prefix = uniqueName('kurfu');
  const secretsKey = randomBytes(32).toString('base64');
  let receiver: AssociationReceiver;
  let mail: MailServer;
  let port: number;
  let api: ServiceProcess;
  let client: TestApp;
  let db: Client;
  const workers: ServiceProcess[] = [];

  const configAt = (clock: string): AppConfig =>
    testConfig({
      ...FAST_PIPELINE,
      DATABASE_URL: databaseUrl(database),
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      SMTP_URL: mail.url,
      CLOCK_NOW: clock,
      SECRETS_KEY: secretsKey,
      LOG_LEVEL: 'info',
    });
  const worker = (clock: string) => {
    const process = spawnService('worker', configAt(clock));
    workers.push(process);
    return process;
  };
  const notifications = async (event: string) =>
    (
      await db.query<{ channel: string; status: string }>(
        'SELECT channel, status FROM notification WHERE event = $1 ORDER BY channel',
        [event],
      )
    ).rows;
  const followUpRun = () => expectOk(client.request('POST', '/api/v1/sync-runs', { body: { kind: 'FOLLOW_UP' } }));

  beforeAll(async () => {
    [receiver, mail, port] = await Promise.all([startAssociationReceiver(), startMailServer(), freePort()]);
    await createDatabase(database, templateDatabase());
    db = new Client({ connectionString: databaseUrl(database) });
    await db.connect();
    api = spawnService('main', configAt(ACCEPTED));
    const url = `http://127.0.0.1:${port}`;
    await waitForApi(url, api);
    const admin = await signDevelopmentToken(JWT_SECRET, { sub: 'follow-up-admin', role: Role.ADMIN });
    client = {
      request: (method: string, path: string, options: Record<string, unknown> = {}) =>
        request(url, method, path, {
          ...options,
          token: options.token === undefined ? admin : (options.token as string),
        }),
    } as unknown as TestApp;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...workers, api].map((process) => process?.kill('SIGKILL')));
    await db?.end();
    await dropDatabase(database);
    await deleteQueueKeys(prefix);
    await Promise.all([receiver.close(), mail.close()]);
  });

  it('announces a due round once, then an overdue one once, by push and by e-mail', async () => {
    await lifecycle().catch((error: Error) => {
      const logs = [api, ...workers].map((process) => process.output().slice(-3000)).join('\n---\n');
      throw new Error(`${error.message}\n\nWhat the processes logged last:\n${logs}`);
    });
  }, 180_000);

  async function lifecycle(): Promise<void> {
    const stockholm = await associationByMember(client, '0180');
    await setEndpoint(client, stockholm.id, receiver.addReceiver('stockholm'));
    await patch(client, `/api/v1/associations/${stockholm.id}`, {
      chief: { name: 'Fiktiv Förbundschef', email: 'forbundschef@stockholm.example' },
    });
    const chief = await signDevelopmentToken(JWT_SECRET, {
      sub: 'stockholm-chief',
      role: Role.ASSOCIATION_CHIEF,
      association: stockholm.id,
    });
    const accepting = worker(ACCEPTED);
    const content = { ...PLAN_CONTENT, goals: [{ ...PLAN_CONTENT.goals[0], dueDate: '2028-06-30' }] };
    const areaId = await finishedWork(client, 'Uppföljning i processer med partner', ['0180'], { content });
    await expectOk(client.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [handover] = await waitFor(
      async () => {
        const all = await handoversOf(client, areaId);
        return all.length === 1 && all[0].status === 'DELIVERED' && all;
      },
      { what: 'the delivered handover', timeoutMs: 30_000 },
    );
    await expectOk(
      client.request('POST', `/api/v1/handovers/${handover.id}/decision`, {
        token: chief,
        body: { decision: 'ACCEPTED' },
      }),
    );
    const rounds = (await expectOk(client.request('GET', `/api/v1/follow-ups?areaId=${areaId}`))).items;
    expect(rounds.map((round: { dueOn: string }) => round.dueOn)).toEqual(['2027-07-15', '2028-01-15']);
    await accepting.kill();

    // Half a year later: the first worker starts sending and is killed while the mail server holds its answer.
    const held = mail.hold();
    const sender = worker(DUE);
    await followUpRun();
    await waitFor(() => held.waiting() === 1, { what: 'an e-mail being sent', timeoutMs: 30_000 });
    worker(DUE);
    await sender.kill('SIGKILL');
    await waitFor(() => held.waiting() === 0, { what: 'the mail server to see the sender gone' });
    held.release();
    await waitFor(
      async () => {
        const rows = await notifications('kur.follow-up.due');
        return rows.length === 2 && rows.every((row) => row.status === 'SENT') && rows;
      },
      { what: 'the due round announced by push and e-mail', timeoutMs: 30_000 },
    );
    const dueMails = mail.mails().filter((message) => message.subject.startsWith('Uppföljning att rapportera'));
    expect(dueMails.map((message) => message.to)).toEqual([['forbundschef@stockholm.example']]);
    const dueEvents = receiver
      .deliveries('stockholm')
      .filter((delivery) => delivery.payload.type === 'kur.follow-up.due');
    expect(dueEvents).toHaveLength(1);
    expect(receiver.duplicateCount('stockholm')).toBe(0);
    await Promise.all(workers.map((process) => process.kill()));

    // Past the grace period, unreported: overdue, announced once however often the job runs.
    worker(OVERDUE);
    await followUpRun();
    await waitFor(
      async () => {
        const rows = await notifications('kur.follow-up.overdue');
        return rows.length === 2 && rows.every((row) => row.status === 'SENT') && rows;
      },
      { what: 'the overdue round announced', timeoutMs: 30_000 },
    );
    const second = await followUpRun();
    await waitFor(
      async () => (await expectOk(client.request('GET', `/api/v1/sync-runs/${second.id}`))).status === 'SUCCEEDED',
      { what: 'the second follow-up run' },
    );
    const listed = await expectOk(client.request('GET', `/api/v1/follow-ups?areaId=${areaId}&status=OVERDUE`));
    expect(listed.items.map((round: { id: string }) => round.id)).toEqual([rounds[0].id]);
    expect(mail.mails().filter((message) => message.subject.startsWith('Försenad uppföljning'))).toHaveLength(1);
    expect(
      receiver.deliveries('stockholm').filter((delivery) => delivery.payload.type === 'kur.follow-up.overdue'),
    ).toHaveLength(1);
  }
});
