import { Role } from '../../src/auth/principal';
import { FollowUpSweep } from '../../src/follow-ups/follow-up-sweep';
import { NotificationsService } from '../../src/notifications/notifications.service';
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
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const ACCEPTED_ON = '2027-01-15T10:00:00+01:00';
const REPORT = {
  goals: [{ goalIndex: 0, currentValue: '18 %', status: 'ON_TRACK', comment: 'Fler remisser än väntat' }],
  measures: [{ measureIndex: 0, done: true }],
};

/**
 * Follow-up rounds in one process: the app accepts at one instant, a second app on the same
 * database lives half a year later (the clock moved by configuration) and runs the daily job.
 */
describe('follow-up rounds: scheduling, the daily job, reports', () => {
  let accepting: TestApp;
  let later: TestApp;
  let receiver: AssociationReceiver;
  let mail: MailServer;
  let stockholm: { id: string; name: string };
  let chief: string;
  let rounds: { id: string; dueOn: string; status: string; planId: string }[];
  let announcedHandover: { id: string; associationId: string; areaId: string };

  beforeAll(async () => {
    [receiver, mail] = await Promise.all([startAssociationReceiver(), startMailServer()]);
    accepting = await startTestApp({ CLOCK_NOW: ACCEPTED_ON, SMTP_URL: mail.url }, { worker: true });
    stockholm = await associationByMember(accepting, '0180');
    await setEndpoint(accepting, stockholm.id, receiver.addReceiver('stockholm'));
    await patch(accepting, `/api/v1/associations/${stockholm.id}`, {
      chief: { name: 'Fiktiv Förbundschef', email: 'forbundschef@stockholm.example' },
    });
    chief = await accepting.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id });
    const content = { ...PLAN_CONTENT, goals: [{ ...PLAN_CONTENT.goals[0], dueDate: '2028-06-30' }] };
    const areaId = await finishedWork(accepting, 'Uppföljning med partner', ['0180'], { content });
    await expectOk(accepting.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [handover] = await waitFor(
      async () => {
        const all = await handoversOf(accepting, areaId);
        return all.length === 1 && all[0].status === 'DELIVERED' && all;
      },
      { what: 'the delivered handover' },
    );
    await expectOk(
      accepting.request('POST', `/api/v1/handovers/${handover.id}/decision`, {
        token: chief,
        body: { decision: 'ACCEPTED' },
      }),
    );
    rounds = (await expectOk(accepting.request('GET', `/api/v1/follow-ups?areaId=${areaId}`, { token: chief }))).items;
    later = await startTestApp({
      CLOCK_NOW: '2027-07-16T06:00:00+02:00',
      DATABASE_URL: accepting.config.DATABASE_URL,
      QUEUE_PREFIX: accepting.config.QUEUE_PREFIX,
    });
  });

  afterAll(async () => {
    await later.close();
    await accepting.close();
    await Promise.all([receiver.close(), mail.close()]);
  });

  it('schedules a round every six months from acceptance until the last goal falls due', () => {
    expect(rounds.map((round) => [round.dueOn, round.status])).toEqual([
      ['2027-07-15', 'SCHEDULED'],
      ['2028-01-15', 'SCHEDULED'],
    ]);
  });

  it('lists rounds with what people call their plan: kind, activity title and area name', async () => {
    const page = await expectOk(accepting.request('GET', '/api/v1/follow-ups?limit=1', { token: chief }));
    expect(page.items[0]).toEqual(
      expect.objectContaining({
        planKind: 'COOPERATION',
        activityTitle: 'Samverkansplan',
        areaName: 'Uppföljning med partner',
      }),
    );
  });

  it('refuses a report before the round is due', async () => {
    const early = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: chief,
      body: REPORT,
    });
    expect(early.status).toBe(422);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
  });

  it('opens the due round once, with one signed event and one e-mail to the chief', async () => {
    expect(await later.app.get(FollowUpSweep).run()).toMatchObject({ day: '2027-07-16', due: 1, overdue: 0 });
    expect(await later.app.get(FollowUpSweep).run()).toMatchObject({ due: 0, overdue: 0 });
    const [event] = await waitFor(
      () => {
        const events = receiver
          .deliveries('stockholm')
          .filter((delivery) => delivery.payload.type === 'kur.follow-up.due');
        return events.length > 0 && events;
      },
      { what: 'the kur.follow-up.due event' },
    );
    expect(event.payload.data).toMatchObject({
      roundId: rounds[0].id,
      dueOn: '2027-07-15',
      areaName: 'Uppföljning med partner',
    });
    const [message] = await waitFor(() => mail.mails().length > 0 && mail.mails(), { what: 'the e-mail' });
    expect(message.subject).toBe('Uppföljning att rapportera: Uppföljning med partner');
    expect(message.text).toContain('15 juli 2027');
    // The receiver has the push before the worker has recorded it (the same for the e-mail).
    const recorded = await waitFor(
      async () => {
        const rows: { status: string }[] = await accepting.dataSource.query(
          `SELECT channel, status, recipient FROM notification WHERE subject_id = $1 ORDER BY channel`,
          [rounds[0].id],
        );
        return rows.every((row) => row.status !== 'PENDING') && rows;
      },
      { what: 'the notifications recorded' },
    );
    expect(recorded).toEqual([
      { channel: 'EMAIL', status: 'SENT', recipient: message.to[0] },
      { channel: 'PUSH', status: 'SENT', recipient: expect.stringContaining('http://127.0.0.1') },
    ]);
  });

  it("is reported by the association's chief; a correction supersedes it and both stay readable", async () => {
    const first = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: chief,
      body: REPORT,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'SUBMITTED',
      goals: [{ index: 0, indicator: 'Andel efter 12 månader' }],
    });
    const corrected = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: chief,
      body: { ...REPORT, goals: [{ ...REPORT.goals[0], currentValue: '16 %', status: 'AT_RISK' }] },
    });
    expect(corrected.status).toBe(201);
    const [original, correction] = corrected.body.reports;
    expect(original).toMatchObject({
      supersedesId: null,
      supersededById: correction.id,
      goals: [{ currentValue: '18 %' }],
    });
    expect(correction).toMatchObject({
      supersedesId: original.id,
      supersededById: null,
      goals: [{ status: 'AT_RISK' }],
    });

    const report = await expectOk(accepting.request('GET', '/api/v1/reports/national?phase=KUR2'));
    const followUp = report.tables.find((table: { id: string }) => table.id === 'follow-up');
    const count = (measure: string) => followUp.rows.find((row: { measure: string }) => row.measure === measure).count;
    expect([count('Uppföljningar: rapporterade'), count('Uppföljningar: planerade')]).toEqual([1, 1]);
    expect([count('Mål: i riskzonen'), count('Mål: enligt plan')]).toEqual([1, 0]); // the correction is in force

    const history = await expectOk(
      accepting.request('GET', `/api/v1/plans/${rounds[0].planId}/follow-up-history`, { token: chief }),
    );
    expect(history.goals[0].history).toEqual([
      {
        roundId: rounds[0].id,
        dueOn: '2027-07-15',
        currentValue: '16 %',
        status: 'AT_RISK',
        comment: 'Fler remisser än väntat',
      },
    ]);
  });

  it("is not found for another association's chief, and bad reports change nothing", async () => {
    const other = await associationByMember(accepting, '0120');
    const otherChief = await accepting.tokenFor(Role.ASSOCIATION_CHIEF, { association: other.id });
    expect((await accepting.request('GET', `/api/v1/follow-ups/${rounds[0].id}`, { token: otherChief })).status).toBe(
      404,
    );
    const posted = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: otherChief,
      body: REPORT,
    });
    expect(posted.status).toBe(404);

    const before = await accepting.dataSource.query('SELECT * FROM follow_up_report ORDER BY id');
    const invalid = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: chief,
      body: { goals: [{ goalIndex: 0, currentValue: '', status: 'FINE' }], measures: 'all' },
    });
    expect(invalid.status).toBe(400);
    expect([...new Set(invalid.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual(
      ['goals.0.currentValue', 'goals.0.status', 'measures'].sort(),
    );
    const incomplete = await accepting.request('POST', `/api/v1/follow-ups/${rounds[0].id}/report`, {
      token: chief,
      body: {
        goals: [],
        measures: [
          { measureIndex: 0, done: false },
          { measureIndex: 3, done: true },
        ],
      },
    });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.detail).toContain('goals 0 not answered');
    expect(incomplete.body.detail).toContain('measures 3 do not exist');
    expect(await accepting.dataSource.query('SELECT * FROM follow_up_report ORDER BY id')).toEqual(before);
  });

  it('marks an unreported round overdue after the grace period and announces it once', async () => {
    const muchLater = await startTestApp({
      CLOCK_NOW: '2028-02-20T06:00:00+01:00',
      DATABASE_URL: accepting.config.DATABASE_URL,
      QUEUE_PREFIX: accepting.config.QUEUE_PREFIX,
    });
    try {
      // Round 2 (2028-01-15) opens and, unreported past 30 days, becomes overdue in the same run.
      expect(await muchLater.app.get(FollowUpSweep).run()).toMatchObject({ due: 1, overdue: 1 });
      expect(await muchLater.app.get(FollowUpSweep).run()).toMatchObject({ due: 0, overdue: 0 });
    } finally {
      await muchLater.close();
    }
    await waitFor(() => mail.mails().length === 3, { what: 'the due and overdue e-mails' });
    expect(mail.mails().map((message) => message.subject)).toEqual([
      'Uppföljning att rapportera: Uppföljning med partner',
      expect.stringMatching(/^(Uppföljning att rapportera|Försenad uppföljning): /),
      expect.stringMatching(/^(Uppföljning att rapportera|Försenad uppföljning): /),
    ]);
    // The push is its own job: it may land after the e-mails.
    const overdue = await waitFor(
      () => {
        const pushed = receiver
          .deliveries('stockholm')
          .filter((delivery) => delivery.payload.type === 'kur.follow-up.overdue');
        return pushed.length > 0 && pushed;
      },
      { what: 'the overdue push' },
    );
    expect(overdue.map((delivery) => delivery.payload.data.roundId)).toEqual([rounds[1].id]);
    const listed = await expectOk(accepting.request('GET', '/api/v1/follow-ups?status=OVERDUE', { token: chief }));
    expect(listed.items.map((round: { id: string }) => round.id)).toEqual([rounds[1].id]);
  });

  it('e-mails the chief of an association without an endpoint when a handover reaches its feed', async () => {
    const varna = await associationByMember(accepting, '0120');
    await patch(accepting, `/api/v1/associations/${varna.id}`, {
      chief: { name: 'Fiktiv Förbundschef', email: 'forbundschef@varna.example' },
    });
    const before = mail.mails().length;
    const areaId = await finishedWork(accepting, 'Utan mottagarsystem med partner', ['0120']);
    await expectOk(accepting.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [message] = await waitFor(() => mail.mails().length > before && mail.mails().slice(before), {
      what: 'the e-mail about the new handover',
    });
    expect(message).toMatchObject({
      to: ['forbundschef@varna.example'],
      subject: 'Ny överlämning från KUR: Utan mottagarsystem med partner',
    });
    const [handover] = await handoversOf(accepting, areaId);
    expect(handover.status).toBe('DELIVERED');
    announcedHandover = handover;
  });

  it('sends a pending e-mail once when two runs of its job overlap (one taken over from a stalled worker)', async () => {
    const sql = `SELECT status, attempts FROM notification WHERE subject_id = $1 AND channel = 'EMAIL'`;
    await waitFor(async () => (await accepting.dataSource.query(sql, [announcedHandover.id]))[0]?.status === 'SENT', {
      what: 'the e-mail about the new handover to be recorded as sent',
    });
    await accepting.dataSource.query(`UPDATE notification SET status = 'PENDING' WHERE subject_id = $1`, [
      announcedHandover.id,
    ]);
    const before = mail.mails().length;
    const notifications = accepting.app.get(NotificationsService);
    await Promise.all([1, 2].map(() => notifications.announceHandoverByMail(announcedHandover)));
    expect(mail.mails().length).toBe(before + 1);
    expect(await accepting.dataSource.query(sql, [announcedHandover.id])).toEqual([{ status: 'SENT', attempts: 2 }]);
  });
});
