import { loadConfig } from '../config/app-config';
import { createCliContext } from '../src/cli/cli.module';
import { addMonths } from '../src/follow-ups/follow-up-schedule';
import { FollowUpSweep } from '../src/follow-ups/follow-up-sweep';
import { today } from '../src/core/time';
import { MailServer } from '../test/fakes/mail-server';
import { waitFor } from '../test/support/wait';
import { DemoClient, client } from './demo-kur2-end';

interface YearAfter {
  api: DemoClient;
  url: string;
  env: NodeJS.ProcessEnv;
  mail: MailServer;
  /** A bearer token for the chief of an association. */
  chiefToken: (associationId: string) => Promise<string>;
}

const REASON =
  'DEMODATA: förbundet har inte mandat att följa upp planen; Försäkringskassan får hitta en annan mottagare';

/**
 * A year after handover, played with a moved clock: chiefs accept (one declines), the daily job
 * runs half a year and a year later, due rounds are announced by push and e-mail and reported
 * (on track, at risk, one left overdue), and the national report is printed.
 */
export async function playYearAfter({ api, url, env, mail, chiefToken }: YearAfter): Promise<void> {
  const names = new Map((await api.all('/api/v1/associations')).map((row) => [row.id, row.name as string]));
  const nameOf = (handover: { recipient: { associationId: string } }) =>
    names.get(handover.recipient.associationId) ?? '';
  const delivered = (await api.all('/api/v1/handovers?status=DELIVERED')).sort((a, b) =>
    nameOf(a).localeCompare(nameOf(b), 'sv'),
  );
  const chiefs = new Map<string, DemoClient>();
  const chiefOf = async (associationId: string) => {
    if (!chiefs.has(associationId)) chiefs.set(associationId, client(url, await chiefToken(associationId)));
    return chiefs.get(associationId) as DemoClient;
  };
  for (const [index, handover] of delivered.entries()) {
    const chief = await chiefOf(handover.recipient.associationId);
    const decision =
      index === delivered.length - 1 ? { decision: 'DECLINED', reason: REASON } : { decision: 'ACCEPTED' };
    await chief.call('POST', `/api/v1/handovers/${handover.id}/decision`, decision);
  }
  console.log(
    `  • ${delivered.length - 1} handovers accepted by their associations' chiefs; 1 declined (by ${delivered.length ? nameOf(delivered[delivered.length - 1]) : 'nobody'})`,
  );

  const start = today();
  let expectedMails = mail.mails().length;
  for (const months of [6, 12]) {
    const day = addMonths(start, months);
    const report = await runDailyJob(env, `${addMonths(start, months)}T06:00:00+01:00`);
    console.log(
      `\n${day} (${months} months after handover): the daily job opened ${report.due} rounds, ${report.overdue} became overdue`,
    );
    await waitForMails(mail, (expectedMails += report.due + report.overdue));
    const due = await api.all('/api/v1/follow-ups?status=DUE');
    // Every association reports, but one leaves its first round unreported: it becomes overdue.
    const reported = months === 6 ? due.slice(1) : due;
    for (const [index, round] of reported.entries()) {
      const chief = await chiefOf(round.associationId);
      const { body: detail } = await chief.call('GET', `/api/v1/follow-ups/${round.id}`);
      await chief.call('POST', `/api/v1/follow-ups/${round.id}/report`, {
        goals: detail.goals.map((goal: { index: number }) => ({
          goalIndex: goal.index,
          currentValue: index % 3 === 0 ? 'DEMODATA: 14 %' : 'DEMODATA: 19 %',
          status: index % 3 === 0 ? 'AT_RISK' : 'ON_TRACK',
          comment: index % 3 === 0 ? 'DEMODATA: färre remisser än planerat' : undefined,
        })),
        measures: detail.measures.map((measure: { index: number }) => ({
          measureIndex: measure.index,
          done: index % 2 === 0,
        })),
      });
    }
    console.log(
      `  • ${reported.length} rounds reported by the chiefs, ${due.length - reported.length} left unreported`,
    );
  }
  const mails = mail.mails();
  console.log(`\nE-mail received by the demo's SMTP server (${mails.length}):`);
  const bySubject = new Map<string, number>();
  for (const message of mails) {
    const kind = message.subject.split(':')[0];
    bySubject.set(kind, (bySubject.get(kind) ?? 0) + 1);
  }
  for (const [kind, count] of bySubject) console.log(`  ${count} × "${kind}: …"`);
  if (mails[0]) console.log(`  For example, to ${mails[0].to.join(', ')}: "${mails[0].subject}"`);
}

/** The daily follow-up job as a worker whose clock reads `at` would run it. */
async function runDailyJob(env: NodeJS.ProcessEnv, at: string): Promise<{ due: number; overdue: number }> {
  const later = await createCliContext(loadConfig({ ...env, CLOCK_NOW: at }));
  try {
    return await later.get(FollowUpSweep).run();
  } finally {
    await later.close();
  }
}

/** Until the chiefs' e-mails for these announcements have arrived, or fails after the deadline. */
async function waitForMails(mail: MailServer, expected: number): Promise<void> {
  await waitFor(() => mail.mails().length >= expected, {
    what: `${expected} e-mails at the demo's SMTP server (got ${mail.mails().length})`,
    timeoutMs: 60_000,
    intervalMs: 200,
  });
}

/** The national report's main tables, as a person reads them. */
export async function printNationalReport(api: DemoClient): Promise<void> {
  const { body: report } = await api.call('GET', '/api/v1/reports/national?phase=KUR2');
  console.log(`\nThe national report (återrapportering), KUR 2, computed ${report.generatedAt}:`);
  for (const id of ['areas-by-region', 'activity-kinds', 'user-involvement', 'money', 'follow-up']) {
    const table = report.tables.find((candidate: { id: string }) => candidate.id === id);
    console.log(`\n  ${table.title}`);
    const columns = table.columns.filter((column: { key: string }) => column.key !== 'source');
    // A report cell is a number or a text (or empty).
    const cell = (value: unknown) => (value === null || value === undefined ? '–' : `${value as string | number}`);
    const widths = columns.map((column: { key: string; title: string }) =>
      Math.min(
        44,
        Math.max(
          column.title.length,
          ...table.rows.map((row: Record<string, unknown>) => cell(row[column.key]).length),
        ),
      ),
    );
    const line = (values: string[]) =>
      `  ${values.map((value, index) => value.slice(0, widths[index]).padEnd(widths[index])).join('  ')}`;
    console.log(line(columns.map((column: { title: string }) => column.title)));
    for (const row of table.rows) console.log(line(columns.map((column: { key: string }) => cell(row[column.key]))));
  }
  console.log(
    `\n  Every table as CSV: GET /api/v1/reports/national?phase=KUR2&format=csv&table=ID (sources in the "Källa" column)`,
  );
}
