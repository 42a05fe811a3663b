import { Role } from '../../src/auth/principal';
import { associationByMember, expectOk, patch } from '../pipeline/kur-fixtures';
import { auditOf, expectProblem, snapshot } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];
const TABLES = ['area', 'area_municipality', 'activity', 'audit_event', 'outbox_message'];

describe('areas and activities over HTTP', () => {
  let api: TestApp;
  let counter = 0;

  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  const newArea = (overrides: Record<string, unknown> = {}) =>
    api.request('POST', '/api/v1/areas', {
      body: {
        name: `Område ${++counter}`,
        kurRegion: 'MITT',
        kurPhase: 'KUR2',
        grantedSek: 300000,
        municipalityCodes: ['0484'],
        ...overrides,
      },
    });
  const grantedArea = async (overrides: Record<string, unknown> = {}) => {
    const area = await expectOk(newArea(overrides));
    return patch(api, `/api/v1/areas/${area.id}`, { status: 'GRANTED' });
  };
  const newActivity = (areaId: string, overrides: Record<string, unknown> = {}, token?: string) =>
    api.request('POST', '/api/v1/activities', {
      token,
      body: {
        areaId,
        type: 'KNOWLEDGE_INITIATIVE',
        title: `Aktivitet ${++counter}`,
        planningPrincipals: PRINCIPALS,
        ...overrides,
      },
    });
  const expectRule = (response: ApiResponse, rule: string) => {
    expectProblem(response, 422);
    expect(response.body.rule).toBe(rule);
  };
  const etagOf = async (path: string) => (await api.request('GET', path)).headers.get('etag') as string;

  describe('areas', () => {
    it('creates, reads, lists with filters and pages, and updates with If-Match', async () => {
      const created = await newArea({
        name: 'Eskilstuna test',
        municipalityCodes: ['0484', '0480'],
        principals: [{ principal: 'FK', contactName: 'Karin' }],
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toMatchObject({
        status: 'DRAFT',
        grantedSek: 300000,
        allocatedSek: 0,
        municipalityCodes: ['0480', '0484'],
      });

      const read = await api.request('GET', `/api/v1/areas/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      const filtered = await expectOk(
        api.request('GET', '/api/v1/areas?kurRegion=MITT&status=DRAFT&kurPhase=KUR2&municipalityCode=0480'),
      );
      expect(filtered.items.map((area: { id: string }) => area.id)).toEqual([created.body.id]);

      for (let index = 0; index < 3; index++) await expectOk(newArea());
      const first = await expectOk(api.request('GET', '/api/v1/areas?limit=2'));
      const second = await expectOk(api.request('GET', `/api/v1/areas?limit=2&cursor=${first.nextCursor}`));
      expect(first.items).toHaveLength(2);
      expect(second.items[0].name >= first.items[1].name).toBe(true);

      const updated = await api.request('PATCH', `/api/v1/areas/${created.body.id}`, {
        body: { name: 'Eskilstuna med partner (test)', status: 'GRANTED' },
        headers: { 'if-match': '"1"' },
      });
      expect(updated.status).toBe(200);
      expect(updated.headers.get('etag')).toBe('"2"');
      expect(await auditOf(api.dataSource, created.body.id)).toEqual([
        expect.objectContaining({ action: 'area.created', actor: 'admin:admin-tester' }),
        expect.objectContaining({
          action: 'area.updated',
          changes: expect.objectContaining({ status: ['DRAFT', 'GRANTED'] }),
        }),
      ]);
    });

    it('enforces the KUR rules with 422s naming them', async () => {
      expectRule(await newArea({ grantedSek: 500001 }), 'GRANT_LIMIT');
      expectRule(await newArea({ grantedSek: -1 }), 'GRANT_LIMIT');
      expectRule(await newArea({ municipalityCodes: ['0000'] }), 'KNOWN_MUNICIPALITY');
      const area = await expectOk(newArea());
      const path = `/api/v1/areas/${area.id}`;
      expectRule(
        await api.request('PATCH', path, { body: { status: 'FINISHED' }, headers: { 'if-match': '"1"' } }),
        'STATUS_TRANSITION',
      );
      await patch(api, path, { status: 'REJECTED' });
      expectRule(
        await api.request('PATCH', path, { body: { status: 'GRANTED' }, headers: { 'if-match': await etagOf(path) } }),
        'STATUS_TRANSITION',
      );

      const funded = await grantedArea({ grantedSek: 200000 });
      await expectOk(newActivity(funded.id, { grantedSek: 150000 }));
      const lowered = await api.request('PATCH', `/api/v1/areas/${funded.id}`, {
        body: { grantedSek: 100000 },
        headers: { 'if-match': await etagOf(`/api/v1/areas/${funded.id}`) },
      });
      expectRule(lowered, 'ACTIVITY_COSTS_WITHIN_GRANT');
    });

    it('answers bad input with 4xx problems and writes nothing', async () => {
      const before = await snapshot(api.dataSource, TABLES);
      expectProblem(await api.request('POST', '/api/v1/areas', { rawBody: '{"name":' }), 400);
      const unknownField = await newArea({ colour: 'blue' });
      expectProblem(unknownField, 400);
      expect(unknownField.body.errors).toEqual([expect.objectContaining({ field: 'colour' })]);
      const wrongTypes = await newArea({ grantedSek: 'lots', kurRegion: 'NORTH' });
      expect(wrongTypes.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'grantedSek',
        'kurRegion',
      ]);
      expect((await newArea({ municipalityCodes: ['484'] })).body.errors).toEqual([
        expect.objectContaining({ field: 'municipalityCodes' }),
      ]);
      expectProblem(await newArea({ notes: 'x'.repeat(1_100_000) }), 413);
      expectProblem(await api.request('GET', '/api/v1/areas/not-a-uuid'), 400);
      expectProblem(await api.request('GET', '/api/v1/areas?status=OPEN'), 400);
      expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
    });

    it('needs If-Match on writes and refuses a stale one', async () => {
      const area = await expectOk(newArea());
      const path = `/api/v1/areas/${area.id}`;
      expectProblem(await api.request('PATCH', path, { body: { notes: 'a' } }), 428);
      expect((await api.request('PATCH', path, { body: { notes: 'a' }, headers: { 'if-match': '"1"' } })).status).toBe(
        200,
      );
      const stale = await api.request('PATCH', path, { body: { notes: 'b' }, headers: { 'if-match': '"1"' } });
      expectProblem(stale, 412);
      expect((await api.request('GET', path)).body.notes).toBe('a');
    });

    it('keeps areas to their callers: 401 without a token, 404 out of scope, 403 for writes by other roles', async () => {
      const mine = await expectOk(newArea());
      const other = await expectOk(newArea({ municipalityCodes: ['0180'] }));
      expectProblem(await api.request('GET', `/api/v1/areas/${mine.id}`, { token: null }), 401);
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id] });
      expect((await api.request('GET', `/api/v1/areas/${mine.id}`, { token: coordinator })).status).toBe(200);
      expectProblem(await api.request('GET', `/api/v1/areas/${other.id}`, { token: coordinator }), 404);
      expect(
        (await expectOk(api.request('GET', '/api/v1/areas?limit=200', { token: coordinator }))).items.map(
          (a: { id: string }) => a.id,
        ),
      ).toEqual([mine.id]);
      expectProblem(await api.request('POST', '/api/v1/areas', { token: coordinator, body: {} }), 403);

      const stockholm = await associationByMember(api, '0180');
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id });
      expect((await api.request('GET', `/api/v1/areas/${other.id}`, { token: chief })).status).toBe(200);
      expectProblem(await api.request('GET', `/api/v1/areas/${mine.id}`, { token: chief }), 404);
    });
  });

  describe('activities', () => {
    it('creates, reads, lists with filters and pages, and moves along its statuses', async () => {
      const area = await grantedArea();
      const created = await newActivity(area.id, {
        themes: ['bemötande'],
        plannedParticipants: 80,
        participants: [{ principal: 'FK', planned: 20, actual: 18 }],
        sessions: [{ format: 'THEME_DAY', date: '2015-03-12', place: 'Eskilstuna' }],
        hiredRoles: ['LECTURER'],
        userInvolvement: {
          userOrganisationsInPlanning: true,
          userOrganisations: ['NSPH'],
          livedExperienceSpeakers: true,
        },
        grantedSek: 100000,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'PLANNED',
        sessions: [{ format: 'THEME_DAY', date: '2015-03-12', place: 'Eskilstuna' }],
      });
      expect((await api.request('GET', `/api/v1/areas/${area.id}`)).body.allocatedSek).toBe(100000);
      await expectOk(newActivity(area.id, { type: 'COOPERATION_PLAN' }));
      const byType = await expectOk(
        api.request('GET', `/api/v1/activities?areaId=${area.id}&type=KNOWLEDGE_INITIATIVE&status=PLANNED`),
      );
      expect(byType.items.map((activity: { id: string }) => activity.id)).toEqual([created.body.id]);
      const page = await expectOk(api.request('GET', `/api/v1/activities?areaId=${area.id}&limit=1`));
      const next = await expectOk(
        api.request('GET', `/api/v1/activities?areaId=${area.id}&limit=1&cursor=${page.nextCursor}`),
      );
      expect([...page.items, ...next.items].map((activity: { id: string }) => activity.id)).toHaveLength(2);
      expect(next.nextCursor).toBeNull();

      const path = `/api/v1/activities/${created.body.id}`;
      expect((await patch(api, path, { status: 'IN_PROGRESS' })).status).toBe('IN_PROGRESS');
      expect(await patch(api, path, { status: 'COMPLETED', spentSek: 90000 })).toMatchObject({
        status: 'COMPLETED',
        spentSek: 90000,
      });
      expect((await auditOf(api.dataSource, created.body.id)).map((event) => event.action)).toEqual([
        'activity.created',
        'activity.in_progress',
        'activity.completed',
      ]);
    });

    it('enforces the KUR rules with 422s naming them', async () => {
      const area = await grantedArea({ grantedSek: 100000 });
      expectRule(
        await newActivity(area.id, { planningPrincipals: ['FK', 'AF', 'MUNICIPALITY'] }),
        'ALL_PRINCIPALS_IN_PLANNING',
      );
      await expectOk(newActivity(area.id, { grantedSek: 60000 }));
      expectRule(await newActivity(area.id, { grantedSek: 50000 }), 'ACTIVITY_COSTS_WITHIN_GRANT');
      const unfunded = await grantedArea({ grantedSek: undefined });
      expectRule(await newActivity(unfunded.id, { grantedSek: 1 }), 'ACTIVITY_COSTS_WITHIN_GRANT');

      const plan = await expectOk(newActivity(area.id, { type: 'COOPERATION_PLAN' }));
      const path = `/api/v1/activities/${plan.id}`;
      expectRule(
        await api.request('PATCH', path, { body: { status: 'COMPLETED' }, headers: { 'if-match': '"1"' } }),
        'STATUS_TRANSITION',
      );
      await patch(api, path, { status: 'IN_PROGRESS' });
      expectRule(
        await api.request('PATCH', path, {
          body: { status: 'COMPLETED' },
          headers: { 'if-match': await etagOf(path) },
        }),
        'COOPERATION_PLAN_AGREED',
      );
      const grown = await api.request('PATCH', path, {
        body: { grantedSek: 50000 },
        headers: { 'if-match': await etagOf(path) },
      });
      expectRule(grown, 'ACTIVITY_COSTS_WITHIN_GRANT');

      const closed = await expectOk(newArea());
      await patch(api, `/api/v1/areas/${closed.id}`, { status: 'WITHDRAWN' });
      expectRule(await newActivity(closed.id), 'AREA_OPEN');
    });

    it('answers bad input with 4xx problems and writes nothing', async () => {
      const area = await grantedArea();
      const before = await snapshot(api.dataSource, TABLES);
      expectProblem(await api.request('POST', '/api/v1/activities', { rawBody: '[' }), 400);
      expect((await newActivity(area.id, { budget: 1 })).body.errors).toEqual([
        expect.objectContaining({ field: 'budget' }),
      ]);
      const wrong = await newActivity(area.id, {
        grantedSek: 1.5,
        sessions: [{ format: 'PARTY' }],
        hiredRoles: 'LECTURER',
      });
      expect(wrong.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'grantedSek',
        'hiredRoles',
        'hiredRoles',
        'sessions.0.format',
      ]);
      expectProblem(await newActivity('6f1c2a7e-0000-4000-8000-000000000000'), 404);
      expectProblem(await newActivity(area.id, { title: 'x'.repeat(1_100_000) }), 413);
      expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
    });

    it('keeps activities to their callers and refuses stale writes', async () => {
      const mine = await grantedArea();
      const other = await grantedArea();
      const theirs = await expectOk(newActivity(other.id));
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id] });
      expectProblem(await api.request('GET', `/api/v1/activities/${theirs.id}`, { token: coordinator }), 404);
      expectProblem(await newActivity(other.id, {}, coordinator), 404);
      const own = await newActivity(mine.id, {}, coordinator);
      expect(own.status).toBe(201);
      expectProblem(await api.request('GET', `/api/v1/activities/${own.body.id}`, { token: null }), 401);
      const path = `/api/v1/activities/${own.body.id}`;
      expectProblem(await api.request('PATCH', path, { token: coordinator, body: { themes: ['a'] } }), 428);
      await patch(api, path, { themes: ['a'] }, coordinator);
      expectProblem(
        await api.request('PATCH', path, {
          token: coordinator,
          body: { themes: ['b'] },
          headers: { 'if-match': '"1"' },
        }),
        412,
      );
      expect((await auditOf(api.dataSource, own.body.id))[0].actor).toBe('coordinator:coordinator-tester');
    });

    it('leaves the database exactly as before when a write fails half-way', async () => {
      const area = await grantedArea({ grantedSek: 100000 });
      // The audit event is the last write of an activity; a constraint it breaks makes the
      // transaction fail after the activity row and the area's allocation were written.
      await api.dataSource.query(
        `ALTER TABLE audit_event ADD CONSTRAINT refuse_activity_audit CHECK (action <> 'activity.created') NOT VALID`,
      );
      try {
        const before = await snapshot(api.dataSource, TABLES);
        const failed = await newActivity(area.id, { grantedSek: 40000 });
        expectProblem(failed, 500);
        expect(failed.body.errorId).toEqual(expect.any(String));
        expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
      } finally {
        await api.dataSource.query('ALTER TABLE audit_event DROP CONSTRAINT refuse_activity_audit');
      }
      expect((await newActivity(area.id, { grantedSek: 40000 })).status).toBe(201);
    });
  });
});
