import { expectProblem } from '../support/assertions';
import { Role } from '../../src/auth/principal';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';
import { assertKeepsContract } from '../support/openapi-validator';

const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];
const SECRET = 'whsec_SGVtbGlndCBzaWduZXJpbmdzbnlja2VsIGbDtnIgdGVzdA==';
const ROTATED_SECRET = 'whsec_Um90ZXJhdCBzaWduZXJpbmdzbnlja2VsIGbDtnIgdGVzdA==';

const CONTENT = {
  targetGroup: 'Personer med psykisk funktionsnedsättning',
  needsAnalysis: { summary: 'Behov av sysselsättning', prioReferences: [{ municipalityCode: '0180', year: 2015 }] },
  goals: [
    { statement: 'Fler i arbete', indicator: 'Andel i arbete', baseline: '5 %', target: '15 %', dueDate: '2017-12-31' },
  ],
  measures: [{ action: 'Gemensam kartläggning', responsiblePrincipal: 'AF', dueDate: '2017-06-30' }],
  followUp: { method: 'Uppföljning i styrelsen', interval: 'Kvartal', owner: 'Förbundschefen' },
};

describe('audit events over the API', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  async function ok<T = any>(response: Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
    const result = await response;
    if (result.status !== 200 && result.status !== 201) {
      throw new Error(`HTTP ${result.status}: ${JSON.stringify(result.body)}`);
    }
    return result;
  }

  const count = async (): Promise<number> =>
    (await api.dataSource.query('SELECT count(*)::int AS n FROM audit_event'))[0].n;

  /** Runs one mutation and returns the audit events it wrote (there must be exactly one). */
  async function onlyEventOf(mutation: () => Promise<ApiResponse>): Promise<{ response: ApiResponse; event: any }> {
    const before = await api.dataSource.query('SELECT id FROM audit_event');
    const response = await ok(mutation());
    const events = await api.dataSource.query(
      'SELECT actor, action, entity_type AS "entityType", entity_id AS "entityId", changes FROM audit_event WHERE NOT (id = ANY($1::uuid[]))',
      [before.map((row: { id: string }) => row.id)],
    );
    expect(events).toHaveLength(1);
    return { response, event: events[0] };
  }

  function expectFieldError(response: ApiResponse, field: string) {
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  }

  async function rawText(path: string): Promise<string> {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.tokens.admin}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    assertKeepsContract('GET', response.url, response.status, response.headers, JSON.parse(text));
    return text;
  }

  async function tableRows(tables: string[]): Promise<Record<string, unknown[]>> {
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      result[table] = await api.dataSource.query(`SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY t.id`);
    }
    return result;
  }

  /** Makes the audit insert for one entity fail, with a real constraint in this file's own database. */
  async function refuseAuditFor<T>(entityId: string, run: () => Promise<T>): Promise<T> {
    await api.dataSource.query(
      `ALTER TABLE audit_event ADD CONSTRAINT test_refuse_audit CHECK (entity_id <> '${entityId}') NOT VALID`,
    );
    try {
      return await run();
    } finally {
      await api.dataSource.query('ALTER TABLE audit_event DROP CONSTRAINT test_refuse_audit');
    }
  }

  it('records exactly one event per mutation, naming actor, action and entity', async () => {
    const coordinatorSubject = 'samverkan-eskilstuna';
    const area = await onlyEventOf(() =>
      api.request('POST', '/api/v1/areas', {
        body: {
          name: 'Stockholm med partner',
          kurRegion: 'STOCKHOLM',
          kurPhase: 'KUR2',
          grantedSek: 300000,
          municipalityCodes: ['0180'],
        },
      }),
    );
    expect(area.event).toMatchObject({
      actor: 'admin:admin-tester',
      action: 'area.created',
      entityType: 'area',
      entityId: area.response.body.id,
    });
    const coordinator = await api.tokenFor(Role.COORDINATOR, {
      areas: [area.response.body.id],
      subject: coordinatorSubject,
    });

    const activity = await onlyEventOf(() =>
      api.request('POST', '/api/v1/activities', {
        token: coordinator,
        body: {
          areaId: area.response.body.id,
          type: 'COOPERATION_PLAN',
          title: 'Plan',
          planningPrincipals: PRINCIPALS,
        },
      }),
    );
    expect(activity.event).toMatchObject({
      actor: `coordinator:${coordinatorSubject}`,
      action: 'activity.created',
      entityType: 'activity',
    });

    const plan = await onlyEventOf(() =>
      api.request('POST', '/api/v1/plans', {
        token: coordinator,
        body: { activityId: activity.response.body.id, kind: 'COOPERATION', content: CONTENT },
      }),
    );
    const planId = plan.response.body.id;
    expect(plan.event).toMatchObject({ action: 'plan.created', entityType: 'plan', entityId: planId });

    const revised = await onlyEventOf(() =>
      api.request('POST', `/api/v1/plans/${planId}/revisions`, {
        token: coordinator,
        body: { content: { ...CONTENT, targetGroup: 'Unga vuxna' } },
        headers: { 'if-match': plan.response.headers.get('etag') as string },
      }),
    );
    expect(revised.event).toMatchObject({ action: 'plan.revised', entityId: planId, changes: { revision: [1, 2] } });

    let etag = revised.response.headers.get('etag') as string;
    const actions: string[] = [];
    for (const principal of PRINCIPALS) {
      const signed = await onlyEventOf(() =>
        api.request('POST', `/api/v1/plans/${planId}/sign-offs`, {
          body: { principal, signerName: `Chef ${principal}`, managementLevel: 'TOP', signedOn: '2016-02-01' },
          headers: { 'if-match': etag },
        }),
      );
      expect(signed.event).toMatchObject({ entityType: 'plan', entityId: planId, changes: { principal, revision: 2 } });
      actions.push(signed.event.action);
      etag = signed.response.headers.get('etag') as string;
    }
    expect(actions).toEqual(['plan.signed', 'plan.signed', 'plan.signed', 'plan.agreed']);

    const association = await onlyEventOf(() =>
      api.request('POST', '/api/v1/associations', {
        body: {
          externalId: 'audit-1',
          name: 'Granskningsförbundet',
          countyCode: '01',
          endpoint: { url: 'https://a.example.org', secret: SECRET },
        },
      }),
    );
    const associationId = association.response.body.id;
    expect(association.event).toMatchObject({
      action: 'association.created',
      entityType: 'association',
      entityId: associationId,
    });

    const updated = await onlyEventOf(() =>
      api.request('PATCH', `/api/v1/associations/${associationId}`, {
        body: { name: 'Granskningsförbundet i Stockholm' },
        headers: { 'if-match': association.response.headers.get('etag') as string },
      }),
    );
    expect(updated.event).toMatchObject({
      action: 'association.updated',
      changes: { name: ['Granskningsförbundet', 'Granskningsförbundet i Stockholm'] },
    });

    const opened = await onlyEventOf(() =>
      api.request('POST', `/api/v1/associations/${associationId}/memberships`, { body: { municipalityCode: '0184' } }),
    );
    expect(opened.event).toMatchObject({
      action: 'membership.opened',
      entityId: associationId,
      changes: { municipalityCode: '0184' },
    });
    const closed = await onlyEventOf(() =>
      api.request('POST', `/api/v1/associations/${associationId}/memberships/${opened.response.body.id}/close`, {
        body: {},
      }),
    );
    expect(closed.event).toMatchObject({ action: 'membership.closed', entityId: associationId });
  });

  it('writes no event for a mutation that is refused', async () => {
    const { body: association, headers } = await ok(
      api.request('POST', '/api/v1/associations', {
        body: { externalId: 'audit-2', name: 'Avvisat', countyCode: '01' },
      }),
    );
    const before = await count();
    const refused: (() => Promise<ApiResponse>)[] = [
      () =>
        api.request('POST', '/api/v1/associations', {
          body: { externalId: 'audit-2', name: 'Dubblett', countyCode: '01' },
        }),
      () =>
        api.request('POST', '/api/v1/associations', {
          body: { externalId: 'audit-3', name: 'Okänt', countyCode: '99' },
        }),
      () =>
        api.request('PATCH', `/api/v1/associations/${association.id}`, {
          body: { name: 'Gammal' },
          headers: { 'if-match': '"7"' },
        }),
      () => api.request('PATCH', `/api/v1/associations/${association.id}`, { body: { name: 'Utan' } }),
      () =>
        api.request('POST', `/api/v1/associations/${association.id}/memberships`, {
          body: { municipalityCode: '0180' },
        }),
      () =>
        api.request('POST', `/api/v1/associations/${association.id}/memberships`, {
          body: { municipalityCode: '0000' },
        }),
      () =>
        api.request('POST', '/api/v1/plans', {
          body: { activityId: '00000000-0000-4000-8000-000000000000', kind: 'COOPERATION', content: CONTENT },
        }),
    ];
    const statuses = [];
    for (const attempt of refused) statuses.push((await attempt()).status);
    expect(statuses).toEqual([409, 422, 412, 428, 422, 422, 404]);
    expect(await count()).toBe(before);
    expect(headers.get('etag')).toBe('"1"');
  });

  it('is written in the same transaction: when the event cannot be written, the change is undone', async () => {
    const created = await ok(
      api.request('POST', '/api/v1/associations', {
        body: { externalId: 'audit-tx', name: 'Transaktion', countyCode: '01' },
      }),
    );
    const id = created.body.id;
    const tables = ['coordination_association', 'membership', 'audit_event', 'outbox_message'];
    await refuseAuditFor(id, async () => {
      const before = await tableRows(tables);
      const update = await api.request('PATCH', `/api/v1/associations/${id}`, {
        body: { name: 'Ändrat', endpoint: { url: 'https://b.example.org', secret: SECRET } },
        headers: { 'if-match': created.headers.get('etag') as string },
      });
      expectProblem(update, 500);
      expect(update.body).toEqual({
        type: '/problems/internal',
        title: 'Internal Server Error',
        status: 500,
        detail: expect.stringContaining('error id'),
        errorId: expect.any(String),
        instance: '/api/v1/associations/:id',
        requestId: expect.any(String),
      });
      // A membership add writes the membership and an outbox message before its audit event.
      const add = await api.request('POST', `/api/v1/associations/${id}/memberships`, {
        body: { municipalityCode: '0186' },
      });
      expectProblem(add, 500);
      expect(await tableRows(tables)).toEqual(before);
    });
    const read = await api.request('GET', `/api/v1/associations/${id}`);
    expect(read.body).toMatchObject({ name: 'Transaktion', endpoint: null, memberMunicipalityCodes: [], version: 1 });
  });

  it('is for administrators only', async () => {
    for (const token of [
      await api.tokenFor(Role.COORDINATOR, { areas: [] }),
      await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: '00000000-0000-4000-8000-000000000000' }),
      api.tokens.service,
    ]) {
      expectProblem(await api.request('GET', '/api/v1/audit-events', { token }), 403);
    }
    expectProblem(await api.request('GET', '/api/v1/audit-events', { token: null }), 401);
    expectProblem(await api.request('GET', '/api/v1/audit-events', { token: 'a.b.c' }), 401);
  });

  it('filters by entity and pages with a small limit, oldest first or newest first', async () => {
    const { body: association, headers } = await ok(
      api.request('POST', '/api/v1/associations', {
        body: { externalId: 'audit-paging', name: 'Sidor v1', countyCode: '01' },
      }),
    );
    let etag = headers.get('etag') as string;
    for (let version = 2; version <= 5; version++) {
      const updated = await ok(
        api.request('PATCH', `/api/v1/associations/${association.id}`, {
          body: { name: `Sidor v${version}` },
          headers: { 'if-match': etag },
        }),
      );
      etag = updated.headers.get('etag') as string;
    }
    const events: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ApiResponse = await api.request(
        'GET',
        `/api/v1/audit-events?entityType=association&entityId=${association.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      events.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(events.map((event) => event.id)).size).toBe(5);
    expect(events.map((event) => event.action)).toEqual([
      'association.created',
      ...Array(4).fill('association.updated'),
    ]);
    expect(events.map((event) => event.changes.name?.[1])).toEqual([
      'Sidor v1',
      'Sidor v2',
      'Sidor v3',
      'Sidor v4',
      'Sidor v5',
    ]);
    expect(events[0]).toEqual({
      id: expect.any(String),
      actor: 'admin:admin-tester',
      action: 'association.created',
      entityType: 'association',
      entityId: association.id,
      changes: expect.any(Object),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const newestFirst: any[] = [];
    cursor = null;
    do {
      const page: ApiResponse = await api.request(
        'GET',
        `/api/v1/audit-events?entityType=association&entityId=${association.id}&order=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      newestFirst.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(newestFirst.map((event) => event.id)).toEqual(events.map((event) => event.id).reverse());

    const byType = await api.request('GET', '/api/v1/audit-events?entityType=plan&limit=200');
    for (const event of byType.body.items) expect(event.entityType).toBe('plan');
    const nothing = await api.request('GET', `/api/v1/audit-events?entityType=plan&entityId=${association.id}`);
    expect(nothing.body).toEqual({ items: [], nextCursor: null });
  });

  it('rejects bad paging, unknown filters and oversized or NUL-bearing values with 400', async () => {
    expectFieldError(await api.request('GET', '/api/v1/audit-events?limit=0'), 'limit');
    expectFieldError(await api.request('GET', '/api/v1/audit-events?limit=201'), 'limit');
    expectFieldError(await api.request('GET', '/api/v1/audit-events?cursor=eyJhIjoxfQ'), 'cursor');
    expectFieldError(await api.request('GET', `/api/v1/audit-events?entityId=${'x'.repeat(65)}`), 'entityId');
    expectFieldError(await api.request('GET', '/api/v1/audit-events?entityType=plan%00'), 'entityType');
    expectFieldError(await api.request('GET', '/api/v1/audit-events?actor=admin'), 'actor');
    expectFieldError(await api.request('GET', '/api/v1/audit-events?order=newest'), 'order');
  });

  it('never holds or returns an endpoint secret in clear', async () => {
    const { body: association, headers } = await ok(
      api.request('POST', '/api/v1/associations', {
        body: {
          externalId: 'audit-secret',
          name: 'Hemligt',
          countyCode: '01',
          endpoint: { url: 'https://s.example.org', secret: SECRET },
        },
      }),
    );
    await ok(
      api.request('PATCH', `/api/v1/associations/${association.id}`, {
        body: { endpoint: { url: 'https://s.example.org/v2', secret: ROTATED_SECRET } },
        headers: { 'if-match': headers.get('etag') as string },
      }),
    );
    const texts = [
      await rawText(`/api/v1/audit-events?entityType=association&entityId=${association.id}`),
      await rawText('/api/v1/audit-events?limit=200'),
      await rawText(`/api/v1/associations/${association.id}`),
      JSON.stringify(await api.dataSource.query('SELECT * FROM audit_event')),
    ];
    expect(texts[0]).toContain('https://s.example.org/v2');
    for (const text of texts) {
      for (const secret of [SECRET, ROTATED_SECRET]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice('whsec_'.length));
      }
    }
  });
});
