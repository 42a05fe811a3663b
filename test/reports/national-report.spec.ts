import { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/auth/principal';
import { createCliContext } from '../../src/cli/cli.module';
import { parseCsv } from '../../src/core/csv';
import { Kur2ImportService } from '../../src/kur2-import/kur2-import.service';
import { TestApp, startTestApp } from '../support/test-app';

interface Kur2Record {
  kurRegion: string;
  activities: { type: string; usesPrioInventory: boolean }[];
  userInvolvement: { userOrganisationsInPlanning: boolean | null; livedExperienceSpeakers: boolean };
}

/** The counts kur2_areas.md derives from the data file, recounted here from the file itself. */
function countsFromDataFile() {
  const records: Kur2Record[] = JSON.parse(readFileSync(join(__dirname, '../../data/kur2_areas.json'), 'utf8'));
  const tally = (key: (record: Kur2Record) => string) =>
    records.reduce<Record<string, number>>(
      (counts, record) => ({ ...counts, [key(record)]: (counts[key(record)] ?? 0) + 1 }),
      {},
    );
  return {
    regions: tally((record) => record.kurRegion),
    kinds: tally((record) => [...new Set(record.activities.map((activity) => activity.type))].sort().join('+')),
    userOrganisations: tally((record) => String(record.userInvolvement.userOrganisationsInPlanning)),
    speakers: records.filter((record) => record.userInvolvement.livedExperienceSpeakers).length,
    prio: records.filter((record) => record.activities.some((activity) => activity.usesPrioInventory)).length,
  };
}

type Table = { id: string; columns: { key: string; title: string }[]; rows: Record<string, string | number | null>[] };
const tableOf = (report: { tables: Table[] }, id: string): Table => report.tables.find((table) => table.id === id)!;
const rowOf = (table: Table, column: string, label: string) => table.rows.find((row) => row[column] === label)!;

describe('national report (återrapportering)', () => {
  let api: TestApp;
  let cli: INestApplicationContext;
  let report: { phase: string; generatedAt: string; tables: Table[] };

  beforeAll(async () => {
    api = await startTestApp();
    cli = await createCliContext(api.config);
    await cli.get(Kur2ImportService).load();
    const response = await api.request('GET', '/api/v1/reports/national?phase=KUR2');
    expect(response.status).toBe(200);
    report = response.body;
  });
  afterAll(async () => {
    await cli.close();
    await api.close();
  });

  it('has one table per subject with stable ids', () => {
    expect(report.phase).toBe('KUR2');
    expect(report.tables.map((table) => table.id)).toEqual([
      'areas-by-region',
      'activity-kinds',
      'user-involvement',
      'prio-use',
      'participants',
      'sessions',
      'hired-roles',
      'money',
      'handovers',
      'municipalities',
      'resolutions',
      'readiness',
      'follow-up',
    ]);
  });

  it("gives the application figures the data file holds, with the final report's figures and sources beside them", () => {
    const file = countsFromDataFile();
    const regions = tableOf(report, 'areas-by-region');
    for (const [code, label] of Object.entries({
      NORD: 'Nord',
      SYD: 'Syd',
      VAST: 'Väst',
      MITT: 'Mitt',
      STOCKHOLM: 'Stockholm',
    })) {
      const row = rowOf(regions, 'region', label);
      expect(row.total).toBe(file.regions[code]);
      expect(row.reported).toBe(file.regions[code]); // the report's 7/6/5/8/8 agree with the file
      expect(row.source).toContain('sju i Nord');
    }
    expect(rowOf(regions, 'region', 'Hela landet')).toMatchObject({ total: 34, reported: 34 });

    const kinds = tableOf(report, 'activity-kinds');
    expect(rowOf(kinds, 'measure', 'Områden med endast kunskapssatsning')).toMatchObject({
      applied: file.kinds.KNOWLEDGE_INITIATIVE,
      reported: 11,
    });
    expect(rowOf(kinds, 'measure', 'Områden med endast plan för samarbete')).toMatchObject({
      applied: file.kinds.COOPERATION_PLAN,
      reported: 5,
    });
    expect(rowOf(kinds, 'measure', 'Områden med båda')).toMatchObject({
      applied: file.kinds['COOPERATION_PLAN+KNOWLEDGE_INITIATIVE'],
      reported: 18,
    });
    expect(rowOf(kinds, 'measure', 'Områden med båda').source).toContain('efter genomförandet');

    const users = tableOf(report, 'user-involvement');
    expect(rowOf(users, 'measure', 'Brukarorganisationer i planeringen: ja')).toMatchObject({
      areas: file.userOrganisations.true,
      reported: 16,
    });
    expect(rowOf(users, 'measure', 'Brukarorganisationer i planeringen: okänt').areas).toBe(
      file.userOrganisations.null,
    );
    expect(rowOf(users, 'measure', 'Brukarorganisationer i planeringen: nej')).toMatchObject({
      areas: file.userOrganisations.false,
      reported: 18,
    });
    expect(rowOf(users, 'measure', 'Föreläsare med egen erfarenhet').areas).toBe(file.speakers);

    const prio = tableOf(report, 'prio-use');
    expect(rowOf(prio, 'measure', 'Områden vars arbete bygger på PRIO-inventeringar').applied).toBe(file.prio);
    // The numbers this test expects from the data file, as kur2_areas.md states them.
    expect([file.kinds.KNOWLEDGE_INITIATIVE, file.kinds.COOPERATION_PLAN, file.prio]).toEqual([15, 6, 3]);
  });

  it("shows the programme's money from the final report with the sentence it stands in", () => {
    const money = tableOf(report, 'money');
    expect(rowOf(money, 'period', 'KUR 2 2014')).toMatchObject({ allottedSek: 10_000_000, repaidSek: 7_241_876 });
    expect(rowOf(money, 'period', 'KUR 2 2015').repaidSek).toBe(1_217_110);
    expect(rowOf(money, 'period', 'KUR 2 2014–2015')).toMatchObject({
      allottedSek: 20_000_000,
      distributedSek: 11_500_000,
    });
    expect(rowOf(money, 'period', 'KUR 2 2014').source).toContain('Medel');
    const municipalities = tableOf(report, 'municipalities');
    expect(rowOf(municipalities, 'measure', 'Totalt')).toMatchObject({ municipalities: 290, reported: 290 });
    expect(rowOf(municipalities, 'measure', 'I ett samordningsförbund').reported).toBe(241);
  });

  it('gives a table as UTF-8 CSV with a BOM, semicolons for Swedish Excel and the same numbers as the JSON', async () => {
    const response = await fetch(`${api.url}/api/v1/reports/national?phase=KUR2&format=csv&table=activity-kinds`, {
      headers: { authorization: `Bearer ${api.tokens.admin}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('Områden med endast kunskapssatsning');
    expect(text.slice(1, text.indexOf('\r\n'))).toBe('Mått;Enligt ansökan;Genomförda;Avbrutna;Enligt slutrapporten;Källa');
    const json = tableOf(report, 'activity-kinds');
    const records = parseCsv(text, { separator: ';' });
    expect(Object.keys(records[0])).toEqual(json.columns.map((column) => column.title));
    expect(records.map((record) => json.columns.map((column) => record[column.title]))).toEqual(
      json.rows.map((row) => json.columns.map((column) => (row[column.key] === null ? '' : String(row[column.key])))),
    );

    const byAccept = await fetch(`${api.url}/api/v1/reports/national?phase=KUR2&table=user-involvement`, {
      headers: { authorization: `Bearer ${api.tokens.admin}`, accept: 'text/csv' },
    });
    expect(byAccept.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await byAccept.text()).toContain('Brukarorganisationer i planeringen: ja');
  });

  it('refuses bad queries and callers other than administrators and services', async () => {
    const noTable = await api.request('GET', '/api/v1/reports/national?phase=KUR2&format=csv');
    expect(noTable.status).toBe(400);
    expect(noTable.body.errors).toEqual([{ field: 'table', message: expect.any(String) }]);
    const badPhase = await api.request('GET', '/api/v1/reports/national?phase=KUR3');
    expect(badPhase.status).toBe(400);
    const unknownTable = await api.request('GET', '/api/v1/reports/national?phase=KUR2&format=csv&table=nope');
    expect(unknownTable.status).toBe(400);
    const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: '00000000-0000-4000-8000-000000000000' });
    const refused = await api.request('GET', '/api/v1/reports/national?phase=KUR2', { token: chief });
    expect(refused.status).toBeGreaterThanOrEqual(403);
    expect(refused.status).toBeLessThan(405);
  });

  it('lets an administrator correct the programme budget, with If-Match and an audit event', async () => {
    const rows = (await api.request('GET', '/api/v1/programme-budget')).body.items;
    const kur1 = rows.find((row: { kurPhase: string }) => row.kurPhase === 'KUR1');
    const stale = await api.request('PATCH', `/api/v1/programme-budget/${kur1.id}`, {
      body: { distributedSek: 14_000_000 },
      headers: { 'if-match': '"999"' },
    });
    expect(stale.status).toBe(412);
    const updated = await api.request('PATCH', `/api/v1/programme-budget/${kur1.id}`, {
      body: { distributedSek: 14_000_000, note: 'Rättat av administratör' },
      headers: { 'if-match': `"${kur1.version}"` },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ distributedSek: 14_000_000, version: kur1.version + 1 });
    const bad = await api.request('PATCH', `/api/v1/programme-budget/${kur1.id}`, {
      body: { repaidSek: -1 },
      headers: { 'if-match': `"${updated.body.version}"` },
    });
    expect(bad.status).toBe(400);
    const audit = await api.request('GET', `/api/v1/audit-events?entityId=${kur1.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['programme-budget.updated']);
    const kur1Report = (await api.request('GET', '/api/v1/reports/national?phase=KUR1')).body;
    expect(rowOf(tableOf(kur1Report, 'money'), 'period', 'KUR 1 2009–2012').distributedSek).toBe(14_000_000);
  });
});
