import { Role } from '../../src/auth/principal';
import { PLAN_CONTENT } from '../pipeline/kur-fixtures';
import { expectProblem, snapshot } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

const ACTIVITIES = '/api/v1/activities';
const AREAS = '/api/v1/areas';
const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];
const UNKNOWN_ID = '6f1c2a7e-0000-4000-8000-000000000000';

describe('activities over HTTP', () => {
  let api: TestApp;
  let sequence = 0;

  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  // ---- helpers ------------------------------------------------------------------------------

  /** The response, or an error naming what came back instead. */
  async function must<T = any>(pending: Promise<ApiResponse<T>>, status: number): Promise<ApiResponse<T>> {
    const response = await pending;
    if (response.status !== status) {
      throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response;
  }

  const etagOf = async (path: string) => (await must(api.request('GET', path), 200)).headers.get('etag') as string;

  /** An area (admin), GRANTED unless told otherwise. */
  async function createArea(overrides: Record<string, unknown> = {}, status: string | null = 'GRANTED') {
    const body = {
      name: `Område ${++sequence}`,
      kurRegion: 'MITT',
      kurPhase: 'KUR2',
      grantedSek: 300000,
      municipalityCodes: ['0484'],
      ...overrides,
    };
    const area = (await must(api.request('POST', AREAS, { body }), 201)).body;
    if (!status) return area;
    return (await must(setAreaStatus(area.id, status), 200)).body;
  }

  async function setAreaStatus(areaId: string, status: string) {
    const etag = await etagOf(`${AREAS}/${areaId}`);
    return api.request('PATCH', `${AREAS}/${areaId}`, { body: { status }, headers: { 'if-match': etag } });
  }

  const areaOf = async (areaId: string) => (await must(api.request('GET', `${AREAS}/${areaId}`), 200)).body;

  const activityBody = (areaId: string, overrides: Record<string, unknown> = {}) => ({
    areaId,
    type: 'KNOWLEDGE_INITIATIVE',
    title: `Aktivitet ${++sequence}`,
    planningPrincipals: PRINCIPALS,
    ...overrides,
  });

  const postActivity = (body: unknown, token?: string | null) => api.request('POST', ACTIVITIES, { body, token });

  async function createActivity(areaId: string, overrides: Record<string, unknown> = {}, token?: string) {
    return (await must(postActivity(activityBody(areaId, overrides), token), 201)).body;
  }

  /** PATCH with the current ETag (or the one given), as a well-behaved client does. */
  async function patchActivity(id: string, body: unknown, options: { etag?: string; token?: string | null } = {}) {
    const etag = options.etag ?? (await etagOf(`${ACTIVITIES}/${id}`));
    return api.request('PATCH', `${ACTIVITIES}/${id}`, { body, token: options.token, headers: { 'if-match': etag } });
  }

  const moveTo = async (id: string, status: string) => must(patchActivity(id, { status }), 200);

  /** A cooperation plan for the activity, signed by the given principals (each sign-off with the plan's current ETag). */
  async function signedPlan(activityId: string, principals: string[]) {
    const created = await must(
      api.request('POST', '/api/v1/plans', { body: { activityId, kind: 'COOPERATION', content: PLAN_CONTENT } }),
      201,
    );
    let etag = created.headers.get('etag') as string;
    let plan = created.body;
    for (const principal of principals) {
      const signed = await must(
        api.request('POST', `/api/v1/plans/${plan.id}/sign-offs`, {
          body: { principal, signerName: `Chef för ${principal}`, managementLevel: 'TOP', signedOn: '2015-11-20' },
          headers: { 'if-match': etag },
        }),
        201,
      );
      etag = signed.headers.get('etag') as string;
      plan = signed.body;
    }
    return plan;
  }

  function expectRule(response: ApiResponse, rule: string) {
    expectProblem(response, 422);
    expect(response.body.rule).toBe(rule);
  }

  /** A 400 whose errors name exactly these fields. */
  function expectInvalid(response: ApiResponse, fields: string[]) {
    expectProblem(response, 400);
    expect([...new Set(response.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual(
      [...fields].sort(),
    );
  }

  const ids = async (path: string, token?: string) =>
    (await must(api.request('GET', path, { token }), 200)).body.items.map((item: { id: string }) => item.id);

  async function listAll(query: string, limit: number) {
    const found: string[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await must(
        api.request('GET', `${ACTIVITIES}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      found.push(...page.body.items.map((activity: { id: string }) => activity.id));
      pages.push(page.body.items.length);
      cursor = page.body.nextCursor;
    } while (cursor);
    return { ids: found, pages };
  }

  /** The audit trail of an activity as the admin reads it over the API, oldest first. */
  async function auditTrail(id: string) {
    const response = await must(api.request('GET', `/api/v1/audit-events?entityType=activity&entityId=${id}`), 200);
    return response.body.items as { action: string; actor: string; entityType: string; changes: any }[];
  }

  async function allTables(): Promise<string[]> {
    const rows: { name: string }[] = await api.dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    return rows.map((row) => row.name);
  }

  async function associationCovering(code: string): Promise<string> {
    const page = await must(api.request('GET', `/api/v1/associations?municipalityCode=${code}`), 200);
    expect(page.body.items).toHaveLength(1);
    return page.body.items[0].id;
  }

  // ---- GET /activities ----------------------------------------------------------------------

  describe('GET /activities', () => {
    it("pages through an area's activities with a small limit, in creation order, each once", async () => {
      const area = await createArea();
      const created: string[] = [];
      for (let index = 0; index < 5; index++) created.push((await createActivity(area.id)).id);
      const { ids: paged, pages } = await listAll(`areaId=${area.id}`, 2);
      expect(paged).toEqual(created);
      expect(pages).toEqual([2, 2, 1]);
    });

    it('pages through every activity exactly once', async () => {
      const { ids: paged } = await listAll('', 3);
      const truth: { id: string }[] = await api.dataSource.query('SELECT id FROM activity ORDER BY created_at, id');
      expect(truth.length).toBeGreaterThanOrEqual(5);
      expect(paged).toEqual(truth.map((row) => row.id));
    });

    it('filters by area, type and status', async () => {
      const area = await createArea();
      const other = await createArea();
      const knowledge = await createActivity(area.id);
      const cooperation = await createActivity(area.id, { type: 'COOPERATION_PLAN' });
      const started = await createActivity(area.id);
      await moveTo(started.id, 'IN_PROGRESS');
      const elsewhere = await createActivity(other.id, { type: 'COOPERATION_PLAN' });

      expect(await ids(`${ACTIVITIES}?areaId=${area.id}`)).toEqual([knowledge.id, cooperation.id, started.id]);
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}&type=COOPERATION_PLAN`)).toEqual([cooperation.id]);
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}&type=KNOWLEDGE_INITIATIVE`)).toEqual([
        knowledge.id,
        started.id,
      ]);
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}&status=IN_PROGRESS`)).toEqual([started.id]);
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}&status=PLANNED&type=KNOWLEDGE_INITIATIVE`)).toEqual([
        knowledge.id,
      ]);
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}&status=COMPLETED`)).toEqual([]);

      const plans = await must(api.request('GET', `${ACTIVITIES}?type=COOPERATION_PLAN&limit=200`), 200);
      expect(plans.body.items.map((a: { id: string }) => a.id)).toEqual(
        expect.arrayContaining([cooperation.id, elsewhere.id]),
      );
      expect(plans.body.items.every((a: { type: string }) => a.type === 'COOPERATION_PLAN')).toBe(true);
      const inProgress = await must(api.request('GET', `${ACTIVITIES}?status=IN_PROGRESS&limit=200`), 200);
      expect(inProgress.body.items.map((a: { id: string }) => a.id)).toContain(started.id);
      expect(inProgress.body.items.every((a: { status: string }) => a.status === 'IN_PROGRESS')).toBe(true);
    });

    it('answers bad filters, limits and cursors with 400, and no token with 401', async () => {
      expectInvalid(await api.request('GET', `${ACTIVITIES}?type=LECTURE`), ['type']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?status=DONE`), ['status']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?areaId=42`), ['areaId']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?limit=0`), ['limit']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?limit=201`), ['limit']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?title=x`), ['title']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?cursor=%%%`), ['cursor']);
      const forged = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
      expectInvalid(await api.request('GET', `${ACTIVITIES}?cursor=${forged(['some day', UNKNOWN_ID])}`), ['cursor']);
      expectInvalid(await api.request('GET', `${ACTIVITIES}?cursor=${forged(['2015-01-01T00:00:00.000Z', 'nope'])}`), [
        'cursor',
      ]);
      expectProblem(await api.request('GET', ACTIVITIES, { token: null }), 401);
    });
  });

  // ---- GET /activities/{id} -----------------------------------------------------------------

  describe('GET /activities/{id}', () => {
    it('reads an activity with its ETag', async () => {
      const area = await createArea();
      const activity = await createActivity(area.id);
      const read = await must(api.request('GET', `${ACTIVITIES}/${activity.id}`), 200);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual(activity);
      const service = await must(
        api.request('GET', `${ACTIVITIES}/${activity.id}`, { token: api.tokens.service }),
        200,
      );
      expect(service.body.id).toBe(activity.id);
    });

    it('answers 400 for a malformed id, 404 for an unknown one, 401 without a token', async () => {
      expectInvalid(await api.request('GET', `${ACTIVITIES}/123`), ['id']);
      expectProblem(await api.request('GET', `${ACTIVITIES}/${UNKNOWN_ID}`), 404);
      const activity = await createActivity((await createArea()).id);
      expectProblem(await api.request('GET', `${ACTIVITIES}/${activity.id}`, { token: null }), 401);
    });

    it("hides another area's activities from a coordinator: 404, and absent from lists", async () => {
      const mine = await createArea();
      const theirs = await createArea();
      const own = await createActivity(mine.id);
      const foreign = await createActivity(theirs.id);
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id] });
      expect((await must(api.request('GET', `${ACTIVITIES}/${own.id}`, { token: coordinator }), 200)).body.id).toBe(
        own.id,
      );
      const hidden = await api.request('GET', `${ACTIVITIES}/${foreign.id}`, { token: coordinator });
      expectProblem(hidden, 404);
      expect(hidden.body.type).toBe('/problems/not-found');
      expect(await ids(`${ACTIVITIES}?limit=200`, coordinator)).toEqual([own.id]);
      expect(await ids(`${ACTIVITIES}?areaId=${theirs.id}`, coordinator)).toEqual([]);
    });

    it('shows an association chief only activities of areas with a member of their association', async () => {
      const stockholm = await createArea({ municipalityCodes: ['0180'] });
      const jarfalla = await createArea({ municipalityCodes: ['0123'] });
      const inside = await createActivity(stockholm.id);
      const outside = await createActivity(jarfalla.id);
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('0180') });
      expect((await must(api.request('GET', `${ACTIVITIES}/${inside.id}`, { token: chief }), 200)).body.id).toBe(
        inside.id,
      );
      expectProblem(await api.request('GET', `${ACTIVITIES}/${outside.id}`, { token: chief }), 404);
      const visible = await ids(`${ACTIVITIES}?limit=200`, chief);
      expect(visible).toContain(inside.id);
      expect(visible).not.toContain(outside.id);
      expect(await ids(`${ACTIVITIES}?areaId=${jarfalla.id}`, chief)).toEqual([]);
    });
  });

  // ---- POST /activities ---------------------------------------------------------------------

  describe('POST /activities', () => {
    it('creates a PLANNED activity with everything it records, allocates its grant, and audits it', async () => {
      const area = await createArea({ grantedSek: 300000 });
      const body = activityBody(area.id, {
        title: 'Temadagar om psykisk ohälsa',
        themes: ['bemötande', 'samverkan'],
        periodStart: '2015-02-01',
        periodEnd: '2015-11-30',
        plannedParticipants: 120,
        participants: [
          { principal: 'FK', planned: 30, actual: 28 },
          { principal: 'AF', planned: 30 },
        ],
        sessions: [{ format: 'THEME_DAY', date: '2015-03-12', place: 'Eskilstuna' }, { format: 'WORKSHOP' }],
        hiredRoles: ['LECTURER', 'MODERATOR'],
        userInvolvement: {
          userOrganisationsInPlanning: true,
          userOrganisations: ['NSPH Sörmland'],
          livedExperienceSpeakers: true,
        },
        usesPrioInventory: true,
        grantedSek: 120000,
        spentSek: 0,
        repaidSek: 0,
      });
      const created = await must(postActivity(body), 201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        areaId: area.id,
        type: 'KNOWLEDGE_INITIATIVE',
        title: 'Temadagar om psykisk ohälsa',
        themes: ['bemötande', 'samverkan'],
        status: 'PLANNED',
        planningPrincipals: PRINCIPALS,
        periodStart: '2015-02-01',
        periodEnd: '2015-11-30',
        plannedParticipants: 120,
        participants: [
          { principal: 'FK', planned: 30, actual: 28 },
          { principal: 'AF', planned: 30 },
        ],
        sessions: [
          { format: 'THEME_DAY', date: '2015-03-12', place: 'Eskilstuna' },
          { format: 'WORKSHOP', date: null, place: null },
        ],
        hiredRoles: ['LECTURER', 'MODERATOR'],
        userInvolvement: {
          userOrganisationsInPlanning: true,
          userOrganisations: ['NSPH Sörmland'],
          livedExperienceSpeakers: true,
        },
        usesPrioInventory: true,
        hasAgreedCooperationPlan: false,
        grantedSek: 120000,
        spentSek: 0,
        repaidSek: 0,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await api.request('GET', `${ACTIVITIES}/${created.body.id}`)).body).toEqual(created.body);
      expect((await areaOf(area.id)).allocatedSek).toBe(120000);
      expect(await auditTrail(created.body.id)).toEqual([
        expect.objectContaining({
          action: 'activity.created',
          actor: 'admin:admin-tester',
          entityType: 'activity',
          changes: expect.objectContaining({
            areaId: [null, area.id],
            title: [null, 'Temadagar om psykisk ohälsa'],
            grantedSek: [null, 120000],
            status: [null, 'PLANNED'],
          }),
        }),
      ]);
    });

    it('fills in what is left out', async () => {
      const area = await createArea();
      const bare = await createActivity(area.id, { type: 'COOPERATION_PLAN' });
      expect(bare).toMatchObject({
        type: 'COOPERATION_PLAN',
        themes: [],
        periodStart: null,
        plannedParticipants: null,
        participants: [],
        sessions: [],
        hiredRoles: [],
        userInvolvement: { userOrganisationsInPlanning: null, userOrganisations: [], livedExperienceSpeakers: false },
        usesPrioInventory: false,
        grantedSek: 0,
        spentSek: 0,
        repaidSek: 0,
      });
      expect((await areaOf(area.id)).allocatedSek).toBe(0);
    });

    it('lets a coordinator create in their own area only (another area is 404), and audits the coordinator', async () => {
      const mine = await createArea();
      const theirs = await createArea();
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id], subject: 'karin' });
      const own = await createActivity(mine.id, { grantedSek: 1000 }, coordinator);
      expect((await auditTrail(own.id))[0]).toMatchObject({ action: 'activity.created', actor: 'coordinator:karin' });

      const before = await snapshot(api.dataSource, ['area', 'activity', 'audit_event']);
      expectProblem(await postActivity(activityBody(theirs.id, { grantedSek: 1000 }), coordinator), 404);
      expect(await snapshot(api.dataSource, ['area', 'activity', 'audit_event'])).toEqual(before);
    });

    it('is refused to chiefs and services (403) and to callers without a token (401)', async () => {
      const area = await createArea({ municipalityCodes: ['0180'] });
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('0180') });
      const before = await snapshot(api.dataSource, ['activity', 'audit_event']);
      expectProblem(await postActivity(activityBody(area.id), null), 401);
      expectProblem(await postActivity(activityBody(area.id), chief), 403);
      expectProblem(await postActivity(activityBody(area.id), api.tokens.service), 403);
      expect(await snapshot(api.dataSource, ['activity', 'audit_event'])).toEqual(before);
    });

    it('enforces ALL_PRINCIPALS_IN_PLANNING', async () => {
      const area = await createArea();
      const missing = await postActivity(activityBody(area.id, { planningPrincipals: ['FK', 'AF', 'MUNICIPALITY'] }));
      expectRule(missing, 'ALL_PRINCIPALS_IN_PLANNING');
      expect(missing.body.missing).toEqual(['REGION']);
      expectRule(await postActivity(activityBody(area.id, { planningPrincipals: [] })), 'ALL_PRINCIPALS_IN_PLANNING');
      expect(await ids(`${ACTIVITIES}?areaId=${area.id}`)).toEqual([]);
    });

    it("enforces ACTIVITY_COSTS_WITHIN_GRANT: the activities' grants fit in the area's", async () => {
      const area = await createArea({ grantedSek: 100000 });
      await createActivity(area.id, { grantedSek: 60000 });
      const over = await postActivity(activityBody(area.id, { grantedSek: 40001 }));
      expectRule(over, 'ACTIVITY_COSTS_WITHIN_GRANT');
      expect(over.body).toMatchObject({ grantedSek: 100000, allocatedSek: 100001 });
      await createActivity(area.id, { grantedSek: 40000 });
      expectRule(await postActivity(activityBody(area.id, { grantedSek: 1 })), 'ACTIVITY_COSTS_WITHIN_GRANT');
      expect((await areaOf(area.id)).allocatedSek).toBe(100000);
      // Spending is not allocation: a zero-grant activity still fits.
      await createActivity(area.id, { grantedSek: 0, spentSek: 5000 });

      const unfunded = await createArea({ grantedSek: undefined });
      expectRule(await postActivity(activityBody(unfunded.id, { grantedSek: 1 })), 'ACTIVITY_COSTS_WITHIN_GRANT');
      await createActivity(unfunded.id, { grantedSek: 0 });
      expect((await areaOf(unfunded.id)).allocatedSek).toBe(0);
    });

    it('never lets concurrent creations together exceed the grant', async () => {
      const area = await createArea({ grantedSek: 100000 });
      const results = await Promise.all(
        Array.from({ length: 6 }, () => postActivity(activityBody(area.id, { grantedSek: 30000 }))),
      );
      expect(results.map((response) => response.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
      results.filter((r) => r.status === 422).forEach((r) => expectRule(r, 'ACTIVITY_COSTS_WITHIN_GRANT'));
      const [row] = await api.dataSource.query(
        'SELECT a.allocated_sek, (SELECT sum(granted_sek) FROM activity WHERE area_id = a.id)::int AS total FROM area a WHERE a.id = $1',
        [area.id],
      );
      expect(row).toEqual({ allocated_sek: 90000, total: 90000 });
    });

    it('enforces AREA_OPEN: no new work in a withdrawn or rejected area', async () => {
      const withdrawn = await createArea();
      await must(setAreaStatus(withdrawn.id, 'WITHDRAWN'), 200);
      const rejected = await createArea({}, null);
      await must(setAreaStatus(rejected.id, 'REJECTED'), 200);
      const draft = await createArea({}, null);
      for (const area of [withdrawn, rejected]) expectRule(await postActivity(activityBody(area.id)), 'AREA_OPEN');
      expect((await createActivity(draft.id)).status).toBe('PLANNED');
    });

    it('refuses bad input with 400/404/409/413 problems and writes nothing', async () => {
      const area = await createArea();
      await createActivity(area.id, { title: 'Upptagen titel' });
      const before = await snapshot(api.dataSource, await allTables());

      expectProblem(await api.request('POST', ACTIVITIES, { rawBody: '{"name":' }), 400);
      expectProblem(await api.request('POST', ACTIVITIES, { rawBody: '{"areaId": "x",}' }), 400);
      expectInvalid(await postActivity(activityBody(area.id, { budget: 1 })), ['budget']);
      expectInvalid(await postActivity(activityBody(area.id, { sessions: [{ format: 'LECTURE', room: 'A1' }] })), [
        'sessions.0.room',
      ]);
      expectInvalid(
        await postActivity({
          areaId: 'area-1',
          type: 'PARTY',
          title: '',
          planningPrincipals: ['FK', 'FK', 'KING'],
          themes: 'bemötande',
          periodStart: '2015-02-30',
          plannedParticipants: -1,
          participants: [{ principal: 'FK', planned: 'many' }],
          sessions: [{ format: 'PARTY', date: '12/03/2015' }],
          hiredRoles: 'LECTURER',
          userInvolvement: { userOrganisationsInPlanning: 'yes', userOrganisations: [], livedExperienceSpeakers: 1 },
          usesPrioInventory: 'no',
          grantedSek: 1.5,
          spentSek: -1,
          repaidSek: '0',
        }),
        [
          'areaId',
          'type',
          'title',
          'planningPrincipals',
          'themes',
          'periodStart',
          'plannedParticipants',
          'participants.0.planned',
          'sessions.0.format',
          'sessions.0.date',
          'hiredRoles',
          'userInvolvement.userOrganisationsInPlanning',
          'userInvolvement.livedExperienceSpeakers',
          'usesPrioInventory',
          'grantedSek',
          'spentSek',
          'repaidSek',
        ],
      );
      // null where the activity always has a value; numbers beyond what the columns hold.
      expectInvalid(
        await postActivity(
          activityBody(area.id, {
            themes: null,
            sessions: null,
            userInvolvement: null,
            spentSek: null,
            grantedSek: null,
          }),
        ),
        ['themes', 'sessions', 'userInvolvement', 'spentSek', 'grantedSek'],
      );
      expectInvalid(
        await postActivity(activityBody(area.id, { spentSek: 3_000_000_000, plannedParticipants: 2 ** 31 })),
        ['spentSek', 'plannedParticipants'],
      );
      expectInvalid(await postActivity({ type: 'KNOWLEDGE_INITIATIVE' }), ['areaId', 'title', 'planningPrincipals']);
      expectProblem(await postActivity(activityBody(UNKNOWN_ID)), 404);
      expectProblem(await postActivity(activityBody(area.id, { title: 'Upptagen titel' })), 409);
      expectProblem(await postActivity(activityBody(area.id, { title: 'x'.repeat(1_100_000) })), 413);

      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
    });
  });

  // ---- PATCH /activities/{id} ---------------------------------------------------------------

  describe('PATCH /activities/{id}', () => {
    it('changes the fields it is sent, follows the grant on the area, bumps the ETag and audits the diff', async () => {
      const area = await createArea({ grantedSek: 100000 });
      const activity = await createActivity(area.id, { title: 'Före', grantedSek: 50000 });
      const updated = await must(
        patchActivity(
          activity.id,
          {
            title: 'Efter',
            themes: ['arbete'],
            periodStart: '2015-04-01',
            plannedParticipants: 40,
            participants: [{ principal: 'REGION', planned: 10, actual: 9 }],
            sessions: [{ format: 'SEMINAR', date: '2015-04-02', place: 'Nyköping' }],
            hiredRoles: ['PROCESS_LEADER'],
            userInvolvement: {
              userOrganisationsInPlanning: false,
              userOrganisations: [],
              livedExperienceSpeakers: true,
            },
            usesPrioInventory: true,
            grantedSek: 80000,
            spentSek: 12000,
            repaidSek: 500,
          },
          { etag: '"1"' },
        ),
        200,
      );
      expect(updated.headers.get('etag')).toBe('"2"');
      expect(updated.body).toMatchObject({
        title: 'Efter',
        type: 'KNOWLEDGE_INITIATIVE',
        status: 'PLANNED',
        sessions: [{ format: 'SEMINAR', date: '2015-04-02', place: 'Nyköping' }],
        grantedSek: 80000,
        spentSek: 12000,
        repaidSek: 500,
        version: 2,
      });
      expect((await api.request('GET', `${ACTIVITIES}/${activity.id}`)).body).toEqual(updated.body);
      expect((await areaOf(area.id)).allocatedSek).toBe(80000);

      const cleared = await must(patchActivity(activity.id, { periodStart: null, plannedParticipants: null }), 200);
      expect(cleared.body).toMatchObject({ periodStart: null, plannedParticipants: null, version: 3 });
      await must(patchActivity(activity.id, { grantedSek: 10000 }), 200);
      expect((await areaOf(area.id)).allocatedSek).toBe(10000);

      const trail = await auditTrail(activity.id);
      expect(trail.map((event) => event.action)).toEqual([
        'activity.created',
        'activity.updated',
        'activity.updated',
        'activity.updated',
      ]);
      expect(trail[1].changes).toEqual(
        expect.objectContaining({ title: ['Före', 'Efter'], grantedSek: [50000, 80000], spentSek: [0, 12000] }),
      );
      expect(trail[1].changes.status).toBeUndefined();
      expect(trail[3].changes).toEqual({ grantedSek: [80000, 10000] });
    });

    it('moves along the status arrows and audits each move by name', async () => {
      const area = await createArea();
      const done = await createActivity(area.id);
      await moveTo(done.id, 'IN_PROGRESS');
      expect((await moveTo(done.id, 'COMPLETED')).body.status).toBe('COMPLETED');
      const dropped = await createActivity(area.id);
      await moveTo(dropped.id, 'CANCELLED');
      const abandoned = await createActivity(area.id);
      await moveTo(abandoned.id, 'IN_PROGRESS');
      await moveTo(abandoned.id, 'CANCELLED');
      expect((await auditTrail(done.id)).map((event) => [event.action, event.changes.status])).toEqual([
        ['activity.created', [null, 'PLANNED']],
        ['activity.in_progress', ['PLANNED', 'IN_PROGRESS']],
        ['activity.completed', ['IN_PROGRESS', 'COMPLETED']],
      ]);
      expect((await auditTrail(dropped.id)).map((event) => event.action)).toEqual([
        'activity.created',
        'activity.cancelled',
      ]);
      expect((await auditTrail(abandoned.id)).map((event) => event.action)).toEqual([
        'activity.created',
        'activity.in_progress',
        'activity.cancelled',
      ]);
    });

    it('refuses moves off the arrows with STATUS_TRANSITION', async () => {
      const area = await createArea();
      const planned = await createActivity(area.id);
      expectRule(await patchActivity(planned.id, { status: 'COMPLETED' }), 'STATUS_TRANSITION');
      const started = await createActivity(area.id);
      await moveTo(started.id, 'IN_PROGRESS');
      expectRule(await patchActivity(started.id, { status: 'PLANNED' }), 'STATUS_TRANSITION');
      const completed = await createActivity(area.id);
      await moveTo(completed.id, 'IN_PROGRESS');
      await moveTo(completed.id, 'COMPLETED');
      const cancelled = await createActivity(area.id);
      await moveTo(cancelled.id, 'CANCELLED');
      for (const status of ['PLANNED', 'IN_PROGRESS', 'CANCELLED']) {
        expectRule(await patchActivity(completed.id, { status }), 'STATUS_TRANSITION');
      }
      for (const status of ['PLANNED', 'IN_PROGRESS', 'COMPLETED']) {
        expectRule(await patchActivity(cancelled.id, { status }), 'STATUS_TRANSITION');
      }
      expect((await api.request('GET', `${ACTIVITIES}/${planned.id}`)).body).toMatchObject({
        status: 'PLANNED',
        version: 1,
      });
    });

    it('completes a cooperation-plan activity only once its plan is AGREED (COOPERATION_PLAN_AGREED)', async () => {
      const area = await createArea();
      const activity = await createActivity(area.id, { type: 'COOPERATION_PLAN' });
      await moveTo(activity.id, 'IN_PROGRESS');
      expectRule(await patchActivity(activity.id, { status: 'COMPLETED' }), 'COOPERATION_PLAN_AGREED');

      const plan = await signedPlan(activity.id, PRINCIPALS.slice(0, 3));
      expect(plan.status).toBe('DRAFT');
      expectRule(await patchActivity(activity.id, { status: 'COMPLETED' }), 'COOPERATION_PLAN_AGREED');
      expect((await api.request('GET', `${ACTIVITIES}/${activity.id}`)).body.status).toBe('IN_PROGRESS');

      const read = await must(api.request('GET', `/api/v1/plans/${plan.id}`), 200);
      const agreed = await must(
        api.request('POST', `/api/v1/plans/${plan.id}/sign-offs`, {
          body: { principal: 'REGION', signerName: 'Regiondirektör', managementLevel: 'TOP', signedOn: '2015-12-01' },
          headers: { 'if-match': read.headers.get('etag') as string },
        }),
        201,
      );
      expect(agreed.body.status).toBe('AGREED');
      const completed = await moveTo(activity.id, 'COMPLETED');
      expect(completed.body).toMatchObject({ status: 'COMPLETED', hasAgreedCooperationPlan: true });
      expect((await auditTrail(activity.id)).map((event) => event.action)).toEqual([
        'activity.created',
        'activity.in_progress',
        'activity.completed',
      ]);
    });

    it('enforces ACTIVITY_COSTS_WITHIN_GRANT and ALL_PRINCIPALS_IN_PLANNING on changes', async () => {
      const area = await createArea({ grantedSek: 100000 });
      const first = await createActivity(area.id, { grantedSek: 70000 });
      const second = await createActivity(area.id, { grantedSek: 30000 });
      const before = await snapshot(api.dataSource, ['area', 'activity', 'audit_event']);
      expectRule(await patchActivity(second.id, { grantedSek: 30001 }), 'ACTIVITY_COSTS_WITHIN_GRANT');
      expectRule(await patchActivity(first.id, { planningPrincipals: ['FK', 'REGION'] }), 'ALL_PRINCIPALS_IN_PLANNING');
      expect(await snapshot(api.dataSource, ['area', 'activity', 'audit_event'])).toEqual(before);
      // Money released by one activity can go to another.
      await must(patchActivity(first.id, { grantedSek: 50000 }), 200);
      expect((await must(patchActivity(second.id, { grantedSek: 50000 }), 200)).body.grantedSek).toBe(50000);
      expect((await areaOf(area.id)).allocatedSek).toBe(100000);
    });

    it('enforces AREA_OPEN: the work of a withdrawn area no longer changes', async () => {
      const area = await createArea();
      const activity = await createActivity(area.id);
      await must(setAreaStatus(area.id, 'WITHDRAWN'), 200);
      expectRule(await patchActivity(activity.id, { title: 'Sent' }), 'AREA_OPEN');
      expectRule(await patchActivity(activity.id, { status: 'CANCELLED' }), 'AREA_OPEN');
      expect((await api.request('GET', `${ACTIVITIES}/${activity.id}`)).body).toMatchObject({ version: 1 });
    });

    it('refuses bad input with 400/409/413 problems and writes nothing', async () => {
      const area = await createArea();
      const activity = await createActivity(area.id, { title: 'Ändras inte' });
      await createActivity(area.id, { title: 'Upptagen titel' });
      const headers = { 'if-match': '"1"' };
      const path = `${ACTIVITIES}/${activity.id}`;
      const before = await snapshot(api.dataSource, await allTables());

      expectProblem(await api.request('PATCH', path, { rawBody: '{"name":', headers }), 400);
      expectInvalid(await patchActivity(activity.id, { budget: 1 }, { etag: '"1"' }), ['budget']);
      // The area and the type are fixed once an activity exists.
      expectInvalid(
        await patchActivity(activity.id, { areaId: UNKNOWN_ID, type: 'COOPERATION_PLAN' }, { etag: '"1"' }),
        ['areaId', 'type'],
      );
      expectInvalid(
        await patchActivity(
          activity.id,
          { status: 'DONE', grantedSek: '10', sessions: [{ date: '2015-13-01' }] },
          {
            etag: '"1"',
          },
        ),
        ['status', 'grantedSek', 'sessions.0.format', 'sessions.0.date'],
      );
      expectInvalid(
        await patchActivity(
          activity.id,
          {
            title: null,
            planningPrincipals: null,
            themes: null,
            hiredRoles: null,
            participants: null,
            usesPrioInventory: null,
            grantedSek: null,
            repaidSek: null,
            status: null,
          },
          { etag: '"1"' },
        ),
        [
          'title',
          'planningPrincipals',
          'themes',
          'hiredRoles',
          'participants',
          'usesPrioInventory',
          'grantedSek',
          'repaidSek',
          'status',
        ],
      );
      expectInvalid(await patchActivity(activity.id, { repaidSek: 2 ** 31 }, { etag: '"1"' }), ['repaidSek']);
      expectProblem(await patchActivity(activity.id, { title: 'Upptagen titel' }, { etag: '"1"' }), 409);
      expectProblem(await patchActivity(activity.id, { title: 'x'.repeat(1_100_000) }, { etag: '"1"' }), 413);
      expectInvalid(await api.request('PATCH', `${ACTIVITIES}/nope`, { body: {}, headers }), ['id']);
      expectProblem(await api.request('PATCH', `${ACTIVITIES}/${UNKNOWN_ID}`, { body: {}, headers }), 404);

      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
    });

    it('needs If-Match (428) and refuses a stale one (412)', async () => {
      const area = await createArea();
      const activity = await createActivity(area.id);
      const path = `${ACTIVITIES}/${activity.id}`;
      expectProblem(await api.request('PATCH', path, { body: { themes: ['a'] } }), 428);
      await must(patchActivity(activity.id, { themes: ['a'] }, { etag: '"1"' }), 200);
      const stale = await patchActivity(activity.id, { themes: ['b'] }, { etag: '"1"' });
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(2);
      expect((await api.request('GET', path)).body).toMatchObject({ themes: ['a'], version: 2 });
      const [left, right] = await Promise.all([
        patchActivity(activity.id, { themes: ['left'] }, { etag: '"2"' }),
        patchActivity(activity.id, { themes: ['right'] }, { etag: '"2"' }),
      ]);
      expect([left.status, right.status].sort()).toEqual([200, 412]);
    });

    it("keeps writes to callers' scopes: 404 for another area's activity, 403 for chiefs, 401 without a token", async () => {
      const mine = await createArea({ municipalityCodes: ['0180'] });
      const theirs = await createArea();
      const own = await createActivity(mine.id);
      const foreign = await createActivity(theirs.id);
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id], subject: 'olle' });
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('0180') });
      const before = await snapshot(api.dataSource, ['activity', 'audit_event']);
      expectProblem(await patchActivity(foreign.id, { title: 'Kapad' }, { etag: '"1"', token: coordinator }), 404);
      expectProblem(await patchActivity(own.id, { title: 'Chefens' }, { etag: '"1"', token: chief }), 403);
      expectProblem(
        await patchActivity(own.id, { title: 'Tjänstens' }, { etag: '"1"', token: api.tokens.service }),
        403,
      );
      expectProblem(await patchActivity(own.id, { title: 'Anonym' }, { etag: '"1"', token: null }), 401);
      expect(await snapshot(api.dataSource, ['activity', 'audit_event'])).toEqual(before);

      await must(patchActivity(own.id, { status: 'IN_PROGRESS' }, { etag: '"1"', token: coordinator }), 200);
      expect((await auditTrail(own.id))[1]).toMatchObject({
        action: 'activity.in_progress',
        actor: 'coordinator:olle',
      });
    });
  });

  // ---- acceptance 5: writes failing half-way -------------------------------------------------

  describe('a write failing half-way', () => {
    /**
     * Makes the audit insert, the last write of an activity change, fail; but only once the
     * condition (evaluated inside the request's own transaction) shows the earlier writes happened.
     * If they had not, the trigger lets the write through and the test fails.
     */
    async function failAuditWhen(condition: string) {
      await api.dataSource.query(`
        CREATE FUNCTION fail_after_activity_writes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.entity_type = 'activity' AND (${condition}) THEN
            RAISE EXCEPTION 'injected failure after the activity and its area were written';
          END IF;
          RETURN NEW;
        END $$`);
      await api.dataSource.query(
        'CREATE TRIGGER fail_after_activity_writes BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_after_activity_writes()',
      );
    }

    async function removeFailure() {
      await api.dataSource.query('DROP TRIGGER IF EXISTS fail_after_activity_writes ON audit_event');
      await api.dataSource.query('DROP FUNCTION IF EXISTS fail_after_activity_writes()');
    }

    afterEach(removeFailure);

    it('POST: the allocation and the new row are rolled back with the failed audit', async () => {
      const area = await createArea({ grantedSek: 100000 });
      await createActivity(area.id, { grantedSek: 20000 });
      const body = activityBody(area.id, { title: 'Halvvägs', grantedSek: 40000 });
      await failAuditWhen(`
        EXISTS (SELECT 1 FROM area WHERE id = '${area.id}' AND allocated_sek = 60000)
        AND EXISTS (SELECT 1 FROM activity WHERE area_id = '${area.id}' AND title = 'Halvvägs')`);
      const before = await snapshot(api.dataSource, await allTables());

      const failed = await postActivity(body);
      expectProblem(failed, 500);
      expect(failed.body.errorId).toEqual(expect.any(String));
      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);

      await removeFailure();
      await must(postActivity(body), 201);
      expect((await areaOf(area.id)).allocatedSek).toBe(60000);
    });

    it('PATCH: a grant change and a status move are rolled back with the failed audit', async () => {
      const area = await createArea({ grantedSek: 100000 });
      const activity = await createActivity(area.id, { grantedSek: 20000 });
      const areaEtag = await etagOf(`${AREAS}/${area.id}`);
      await failAuditWhen(`
        EXISTS (SELECT 1 FROM area WHERE id = '${area.id}' AND allocated_sek = 90000)
        AND EXISTS (SELECT 1 FROM activity WHERE id = '${activity.id}' AND status = 'IN_PROGRESS' AND granted_sek = 90000)`);
      const before = await snapshot(api.dataSource, await allTables());

      const failed = await patchActivity(activity.id, { grantedSek: 90000, status: 'IN_PROGRESS' }, { etag: '"1"' });
      expectProblem(failed, 500);
      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
      expect(await etagOf(`${AREAS}/${area.id}`)).toBe(areaEtag);

      await removeFailure();
      const retried = await must(
        patchActivity(activity.id, { grantedSek: 90000, status: 'IN_PROGRESS' }, { etag: '"1"' }),
        200,
      );
      expect(retried.body).toMatchObject({ grantedSek: 90000, status: 'IN_PROGRESS', version: 2 });
    });
  });
});
