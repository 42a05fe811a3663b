import { Role } from '../../src/auth/principal';
import { expectProblem, snapshot } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

const AREAS = '/api/v1/areas';
const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];

describe('areas over HTTP', () => {
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

  const areaBody = (overrides: Record<string, unknown> = {}) => ({
    name: `Område ${++sequence}`,
    kurRegion: 'MITT',
    kurPhase: 'KUR2',
    grantedSek: 300000,
    municipalityCodes: ['0484'],
    ...overrides,
  });

  const postArea = (body: unknown, token?: string | null) => api.request('POST', AREAS, { body, token });

  async function createArea(overrides: Record<string, unknown> = {}) {
    return (await must(postArea(areaBody(overrides)), 201)).body;
  }

  const etagOf = async (path: string) => (await must(api.request('GET', path), 200)).headers.get('etag') as string;

  /** PATCH with the current ETag (or the one given), as a well-behaved client does. */
  async function patchArea(id: string, body: unknown, options: { etag?: string; token?: string | null } = {}) {
    const etag = options.etag ?? (await etagOf(`${AREAS}/${id}`));
    return api.request('PATCH', `${AREAS}/${id}`, { body, token: options.token, headers: { 'if-match': etag } });
  }

  async function grantedArea(overrides: Record<string, unknown> = {}) {
    const area = await createArea(overrides);
    return (await must(patchArea(area.id, { status: 'GRANTED' }), 200)).body;
  }

  const newActivity = (areaId: string, grantedSek: number) =>
    must(
      api.request('POST', '/api/v1/activities', {
        body: {
          areaId,
          type: 'KNOWLEDGE_INITIATIVE',
          title: `Aktivitet ${++sequence}`,
          planningPrincipals: PRINCIPALS,
          grantedSek,
        },
      }),
      201,
    );

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

  async function listAll(query: string, limit: number, token?: string) {
    const ids: string[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await must(
        api.request('GET', `${AREAS}?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token }),
        200,
      );
      ids.push(...page.body.items.map((area: { id: string }) => area.id));
      pages.push(page.body.items.length);
      cursor = page.body.nextCursor;
    } while (cursor);
    return { ids, pages };
  }

  const ids = async (path: string, token?: string) =>
    (await must(api.request('GET', path, { token }), 200)).body.items.map((item: { id: string }) => item.id);

  /** The audit trail of an area as the admin reads it over the API, oldest first. */
  async function auditTrail(id: string) {
    const response = await must(api.request('GET', `/api/v1/audit-events?entityType=area&entityId=${id}`), 200);
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

  // ---- GET /areas ---------------------------------------------------------------------------

  describe('GET /areas', () => {
    it('pages through every area with a small limit, in name order, each once', async () => {
      for (let index = 0; index < 5; index++) await createArea();
      const { ids: paged, pages } = await listAll('', 2);
      const truth: { id: string }[] = await api.dataSource.query('SELECT id FROM area ORDER BY name, id');
      expect(paged).toEqual(truth.map((row) => row.id));
      expect(new Set(paged).size).toBe(paged.length);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.slice(0, -1).every((size) => size === 2)).toBe(true);
    });

    it('pages through a filtered list exactly', async () => {
      const names = ['Sida E', 'Sida A', 'Sida D', 'Sida B', 'Sida C'];
      const created = new Map<string, string>();
      for (const name of names) created.set(name, (await createArea({ name, municipalityCodes: ['2584'] })).id);
      const { ids: paged, pages } = await listAll('municipalityCode=2584', 2);
      expect(paged).toEqual([...names].sort().map((name) => created.get(name)));
      expect(pages).toEqual([2, 2, 1]);
    });

    it('filters by KUR region, KUR phase, status and municipality code', async () => {
      const nord = await createArea({ kurRegion: 'NORD', kurPhase: 'KUR1', municipalityCodes: ['2580'] });
      const syd = await grantedArea({ kurRegion: 'SYD', municipalityCodes: ['1280', '1281'] });
      const vast = await createArea({ kurRegion: 'VAST', municipalityCodes: ['1480'] });
      await must(patchArea(vast.id, { status: 'WITHDRAWN' }), 200);

      const byRegion = await must(api.request('GET', `${AREAS}?kurRegion=SYD&limit=200`), 200);
      expect(byRegion.body.items.map((a: { id: string }) => a.id)).toContain(syd.id);
      expect(byRegion.body.items.every((a: { kurRegion: string }) => a.kurRegion === 'SYD')).toBe(true);

      const byPhase = await must(api.request('GET', `${AREAS}?kurPhase=KUR1&limit=200`), 200);
      expect(byPhase.body.items.map((a: { id: string }) => a.id)).toEqual([nord.id]);

      const withdrawn = await ids(`${AREAS}?status=WITHDRAWN&limit=200`);
      expect(withdrawn).toContain(vast.id);
      expect(withdrawn).not.toContain(syd.id);
      const granted = await must(api.request('GET', `${AREAS}?status=GRANTED&limit=200`), 200);
      expect(granted.body.items.map((a: { id: string }) => a.id)).toContain(syd.id);
      expect(granted.body.items.every((a: { status: string }) => a.status === 'GRANTED')).toBe(true);

      expect(await ids(`${AREAS}?municipalityCode=1281`)).toEqual([syd.id]);
      expect(await ids(`${AREAS}?municipalityCode=1480&status=WITHDRAWN&kurRegion=VAST&kurPhase=KUR2`)).toEqual([
        vast.id,
      ]);
      expect(await ids(`${AREAS}?municipalityCode=1480&status=DRAFT`)).toEqual([]);
      expect(await ids(`${AREAS}?municipalityCode=0000`)).toEqual([]);
    });

    it('answers bad filters, limits and cursors with 400', async () => {
      expectInvalid(await api.request('GET', `${AREAS}?kurRegion=NORTH`), ['kurRegion']);
      expectInvalid(await api.request('GET', `${AREAS}?kurPhase=KUR3`), ['kurPhase']);
      expectInvalid(await api.request('GET', `${AREAS}?status=OPEN`), ['status']);
      expectInvalid(await api.request('GET', `${AREAS}?municipalityCode=180`), ['municipalityCode']);
      expectInvalid(await api.request('GET', `${AREAS}?limit=0`), ['limit']);
      expectInvalid(await api.request('GET', `${AREAS}?limit=201`), ['limit']);
      expectInvalid(await api.request('GET', `${AREAS}?limit=ten`), ['limit']);
      expectInvalid(await api.request('GET', `${AREAS}?colour=blue`), ['colour']);
      expectInvalid(await api.request('GET', `${AREAS}?cursor=bm90LWEtY3Vyc29y`), ['cursor']);
      // Well-formed cursors we never issued, whose values the columns cannot hold.
      const forged = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
      expectInvalid(await api.request('GET', `${AREAS}?cursor=${forged(['Område', 'not-a-uuid'])}`), ['cursor']);
      expectInvalid(await api.request('GET', `${AREAS}?cursor=${forged(['Område\u0000', 7])}`), ['cursor']);
    });

    it('needs a token', async () => {
      expectProblem(await api.request('GET', AREAS, { token: null }), 401);
      expectProblem(await api.request('GET', AREAS, { token: 'not.a.token' }), 401);
    });
  });

  // ---- GET /areas/{id} ----------------------------------------------------------------------

  describe('GET /areas/{id}', () => {
    it('reads an area with its ETag', async () => {
      const area = await createArea({ municipalityCodes: ['0484', '0480'] });
      const read = await must(api.request('GET', `${AREAS}/${area.id}`), 200);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual(area);
      expect(read.body.municipalityCodes).toEqual(['0480', '0484']);
      expect((await must(api.request('GET', `${AREAS}/${area.id}`, { token: api.tokens.service }), 200)).body.id).toBe(
        area.id,
      );
    });

    it('answers 400 for a malformed id, 404 for an unknown one, 401 without a token', async () => {
      expectInvalid(await api.request('GET', `${AREAS}/not-a-uuid`), ['id']);
      expectProblem(await api.request('GET', `${AREAS}/6f1c2a7e-0000-4000-8000-000000000000`), 404);
      const area = await createArea();
      expectProblem(await api.request('GET', `${AREAS}/${area.id}`, { token: null }), 401);
    });

    it('shows a coordinator only their own areas: any other id is 404', async () => {
      const mine = await createArea();
      const other = await createArea();
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id] });
      expect((await must(api.request('GET', `${AREAS}/${mine.id}`, { token: coordinator }), 200)).body.id).toBe(
        mine.id,
      );
      const hidden = await api.request('GET', `${AREAS}/${other.id}`, { token: coordinator });
      expectProblem(hidden, 404);
      expect(hidden.body).toEqual(
        expect.objectContaining({ type: '/problems/not-found', detail: expect.not.stringContaining(other.name) }),
      );
      expect(await ids(`${AREAS}?limit=200`, coordinator)).toEqual([mine.id]);
      const nobody = await api.tokenFor(Role.COORDINATOR, { areas: [] });
      expect(await ids(`${AREAS}?limit=200`, nobody)).toEqual([]);
    });

    it('shows an association chief only areas with a current member of their association', async () => {
      const stockholm = await createArea({ municipalityCodes: ['0180'] });
      const mixed = await createArea({ municipalityCodes: ['0123', '0180'] });
      const jarfalla = await createArea({ municipalityCodes: ['0123'] });
      const chiefAssociation = await associationCovering('0180');
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: chiefAssociation });
      expect((await must(api.request('GET', `${AREAS}/${stockholm.id}`, { token: chief }), 200)).body.id).toBe(
        stockholm.id,
      );
      expect((await must(api.request('GET', `${AREAS}/${mixed.id}`, { token: chief }), 200)).body.id).toBe(mixed.id);
      expectProblem(await api.request('GET', `${AREAS}/${jarfalla.id}`, { token: chief }), 404);
      const visible = await ids(`${AREAS}?limit=200`, chief);
      expect(visible).toEqual(expect.arrayContaining([stockholm.id, mixed.id]));
      expect(visible).not.toContain(jarfalla.id);
      const rows: { id: string }[] = await api.dataSource.query(
        `SELECT DISTINCT am.area_id AS id FROM area_municipality am
           JOIN membership m ON m.municipality_code = am.municipality_code AND m.valid_to IS NULL
          WHERE m.association_id = $1`,
        [chiefAssociation],
      );
      expect([...visible].sort()).toEqual(rows.map((row) => row.id).sort());

      const otherChief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('1280') });
      expectProblem(await api.request('GET', `${AREAS}/${stockholm.id}`, { token: otherChief }), 404);
    });
  });

  // ---- POST /areas --------------------------------------------------------------------------

  describe('POST /areas', () => {
    it('creates a DRAFT area, answers 201 with ETag "1", and audits it', async () => {
      const created = await must(
        postArea({
          name: 'Eskilstuna med partner',
          kurRegion: 'MITT',
          kurPhase: 'KUR2',
          grantedSek: 450000,
          municipalityCodes: ['0484', '0480'],
          principals: [
            { principal: 'FK', contactName: 'Karin Berg', contactEmail: 'karin.berg@example.org' },
            { principal: 'MUNICIPALITY', contactName: 'Per Ek' },
          ],
          summary: 'Gemensamma temadagar',
          notes: 'Första ansökan',
        }),
        201,
      );
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.headers.get('content-type')).toContain('application/json');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Eskilstuna med partner',
        kurRegion: 'MITT',
        kurPhase: 'KUR2',
        status: 'DRAFT',
        grantedSek: 450000,
        allocatedSek: 0,
        municipalityCodes: ['0480', '0484'],
        principals: [
          { principal: 'FK', contactName: 'Karin Berg', contactEmail: 'karin.berg@example.org' },
          { principal: 'MUNICIPALITY', contactName: 'Per Ek' },
        ],
        summary: 'Gemensamma temadagar',
        notes: 'Första ansökan',
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await api.request('GET', `${AREAS}/${created.body.id}`)).body).toEqual(created.body);
      expect(await auditTrail(created.body.id)).toEqual([
        expect.objectContaining({
          action: 'area.created',
          actor: 'admin:admin-tester',
          entityType: 'area',
          changes: expect.objectContaining({
            name: [null, 'Eskilstuna med partner'],
            grantedSek: [null, 450000],
            municipalityCodes: [null, ['0484', '0480']],
          }),
        }),
      ]);
    });

    it('takes the optional fields as optional, and the grant limits inclusively', async () => {
      const bare = await createArea({ grantedSek: undefined });
      expect(bare).toMatchObject({ grantedSek: null, principals: [], summary: null, notes: null });
      expect((await createArea({ grantedSek: 0 })).grantedSek).toBe(0);
      expect((await createArea({ grantedSek: 500000 })).grantedSek).toBe(500000);
    });

    it('enforces GRANT_LIMIT and KNOWN_MUNICIPALITY with 422s naming the rule', async () => {
      const before = await snapshot(api.dataSource, ['area', 'area_municipality', 'audit_event']);
      expectRule(await postArea(areaBody({ grantedSek: 500001 })), 'GRANT_LIMIT');
      expectRule(await postArea(areaBody({ grantedSek: -1 })), 'GRANT_LIMIT');
      const unknown = await postArea(areaBody({ municipalityCodes: ['0180', '0000'] }));
      expectRule(unknown, 'KNOWN_MUNICIPALITY');
      expect(unknown.body.unknown).toEqual(['0000']);
      expect(await snapshot(api.dataSource, ['area', 'area_municipality', 'audit_event'])).toEqual(before);
    });

    it('refuses bad input with 400/409/413 problems and writes nothing', async () => {
      await createArea({ name: 'Finns redan' });
      const before = await snapshot(api.dataSource, await allTables());

      const malformed = await api.request('POST', AREAS, { rawBody: '{"name":' });
      expectProblem(malformed, 400);
      expectProblem(await api.request('POST', AREAS, { rawBody: '' }), 400);
      expectInvalid(await postArea(areaBody({ colour: 'blue' })), ['colour']);
      expectInvalid(await postArea(areaBody({ principals: [{ principal: 'FK', contactName: 'Karin', phone: '1' }] })), [
        'principals.0.phone',
      ]);
      expectInvalid(
        await postArea({
          name: 42,
          kurRegion: 'NORTH',
          kurPhase: 'KUR3',
          grantedSek: 'lots',
          municipalityCodes: '0180',
          principals: [{ principal: 'KING', contactName: '', contactEmail: 'not-an-email' }],
          summary: ['a'],
        }),
        [
          'name',
          'kurRegion',
          'kurPhase',
          'grantedSek',
          'municipalityCodes',
          'principals.0.principal',
          'principals.0.contactName',
          'principals.0.contactEmail',
          'summary',
        ],
      );
      expectInvalid(await postArea(areaBody({ grantedSek: 1000.5 })), ['grantedSek']);
      expectInvalid(await postArea({ kurRegion: 'MITT' }), ['name', 'kurPhase', 'municipalityCodes']);
      expectInvalid(await postArea(areaBody({ principals: null })), ['principals']);
      // A malformed municipality code is a 400 (a well-formed unknown one is KNOWN_MUNICIPALITY, above).
      const malformedCode = await postArea(areaBody({ municipalityCodes: ['180'] }));
      expectInvalid(malformedCode, ['municipalityCodes']);
      expectInvalid(await postArea(areaBody({ municipalityCodes: [] })), ['municipalityCodes']);
      expectInvalid(await postArea(areaBody({ municipalityCodes: ['0180', '0180'] })), ['municipalityCodes']);
      expectProblem(await postArea(areaBody({ name: 'Finns redan' })), 409);
      expectProblem(await postArea(areaBody({ notes: 'x'.repeat(1_100_000) })), 413);

      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
    });

    it('is for admins: 401 without a token, 403 for every other role', async () => {
      const before = await snapshot(api.dataSource, ['area', 'audit_event']);
      expectProblem(await postArea(areaBody(), null), 401);
      const mine = await createArea();
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [mine.id] });
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('0180') });
      for (const token of [coordinator, chief, api.tokens.service]) {
        expectProblem(await postArea(areaBody(), token), 403);
      }
      const after = await snapshot(api.dataSource, ['area', 'audit_event']);
      expect(after.area).toHaveLength(before.area.length + 1);
      expect(after.audit_event).toHaveLength(before.audit_event.length + 1);
    });
  });

  // ---- PATCH /areas/{id} --------------------------------------------------------------------

  describe('PATCH /areas/{id}', () => {
    it('changes the fields it is sent, bumps the ETag and audits the diff', async () => {
      const area = await createArea({ name: 'Före', municipalityCodes: ['0484'], grantedSek: 100000 });
      const updated = await must(
        patchArea(
          area.id,
          {
            name: 'Efter',
            kurRegion: 'STOCKHOLM',
            grantedSek: 200000,
            municipalityCodes: ['0180', '0484'],
            principals: [{ principal: 'AF', contactName: 'Anna' }],
            summary: 'Ny sammanfattning',
            notes: null,
          },
          { etag: '"1"' },
        ),
        200,
      );
      expect(updated.headers.get('etag')).toBe('"2"');
      expect(updated.body).toMatchObject({
        name: 'Efter',
        kurRegion: 'STOCKHOLM',
        kurPhase: 'KUR2',
        grantedSek: 200000,
        municipalityCodes: ['0180', '0484'],
        principals: [{ principal: 'AF', contactName: 'Anna' }],
        summary: 'Ny sammanfattning',
        notes: null,
        status: 'DRAFT',
        version: 2,
      });
      expect((await api.request('GET', `${AREAS}/${area.id}`)).body).toEqual(updated.body);
      const trail = await auditTrail(area.id);
      expect(trail.map((event) => event.action)).toEqual(['area.created', 'area.updated']);
      expect(trail[1]).toMatchObject({ actor: 'admin:admin-tester' });
      expect(trail[1].changes).toEqual({
        name: ['Före', 'Efter'],
        kurRegion: ['MITT', 'STOCKHOLM'],
        grantedSek: [100000, 200000],
        principals: [[], [{ principal: 'AF', contactName: 'Anna' }]],
        summary: [null, 'Ny sammanfattning'],
        municipalityCodes: [['0484'], ['0180', '0484']],
      });
    });

    it('counts a change of municipalities alone as a new version', async () => {
      const area = await createArea({ municipalityCodes: ['0484'] });
      const moved = await must(patchArea(area.id, { municipalityCodes: ['0480'] }, { etag: '"1"' }), 200);
      expect(moved.headers.get('etag')).toBe('"2"');
      expect(moved.body.municipalityCodes).toEqual(['0480']);
      // A client that read version 1 cannot overwrite the change it has not seen.
      expectProblem(await patchArea(area.id, { municipalityCodes: ['0484'] }, { etag: '"1"' }), 412);
      expect((await auditTrail(area.id))[1].changes).toEqual({ municipalityCodes: [['0484'], ['0480']] });
    });

    it('moves along the status arrows and audits each move', async () => {
      const granted = await createArea();
      expect((await must(patchArea(granted.id, { status: 'GRANTED' }), 200)).body.status).toBe('GRANTED');
      expect((await must(patchArea(granted.id, { status: 'WITHDRAWN' }), 200)).body.status).toBe('WITHDRAWN');
      expect((await auditTrail(granted.id)).map((event) => [event.action, event.changes.status])).toEqual([
        ['area.created', [null, 'DRAFT']],
        ['area.updated', ['DRAFT', 'GRANTED']],
        ['area.updated', ['GRANTED', 'WITHDRAWN']],
      ]);
      for (const status of ['REJECTED', 'WITHDRAWN']) {
        const area = await createArea();
        expect((await must(patchArea(area.id, { status }), 200)).body.status).toBe(status);
      }
    });

    it('refuses a move off the arrows, and FINISHED, with STATUS_TRANSITION', async () => {
      const draft = await createArea();
      expectRule(await patchArea(draft.id, { status: 'FINISHED' }), 'STATUS_TRANSITION');
      const granted = await grantedArea();
      for (const status of ['FINISHED', 'DRAFT', 'REJECTED']) {
        expectRule(await patchArea(granted.id, { status }), 'STATUS_TRANSITION');
      }
      const rejected = await createArea();
      await must(patchArea(rejected.id, { status: 'REJECTED' }), 200);
      const withdrawn = await grantedArea();
      await must(patchArea(withdrawn.id, { status: 'WITHDRAWN' }), 200);
      for (const closed of [rejected, withdrawn]) {
        for (const status of ['DRAFT', 'GRANTED'])
          expectRule(await patchArea(closed.id, { status }), 'STATUS_TRANSITION');
      }
      expect((await api.request('GET', `${AREAS}/${granted.id}`)).body).toMatchObject({
        status: 'GRANTED',
        version: 2,
      });
    });

    it('enforces GRANT_LIMIT, KNOWN_MUNICIPALITY and ACTIVITY_COSTS_WITHIN_GRANT', async () => {
      const area = await grantedArea({ grantedSek: 200000 });
      await newActivity(area.id, 120000);
      await newActivity(area.id, 30000);
      const before = await snapshot(api.dataSource, ['area', 'area_municipality', 'audit_event']);
      expectRule(await patchArea(area.id, { grantedSek: 500001 }), 'GRANT_LIMIT');
      expectRule(await patchArea(area.id, { grantedSek: -5 }), 'GRANT_LIMIT');
      expectRule(await patchArea(area.id, { municipalityCodes: ['0484', '9999'] }), 'KNOWN_MUNICIPALITY');
      const lowered = await patchArea(area.id, { grantedSek: 149999 });
      expectRule(lowered, 'ACTIVITY_COSTS_WITHIN_GRANT');
      // No recorded grant means nothing may be allocated, so it cannot be cleared either.
      expectRule(await patchArea(area.id, { grantedSek: null }), 'ACTIVITY_COSTS_WITHIN_GRANT');
      expect(await snapshot(api.dataSource, ['area', 'area_municipality', 'audit_event'])).toEqual(before);

      const exact = await must(patchArea(area.id, { grantedSek: 150000 }), 200);
      expect(exact.body).toMatchObject({ grantedSek: 150000, allocatedSek: 150000 });
      const empty = await createArea({ grantedSek: 1000 });
      expect((await must(patchArea(empty.id, { grantedSek: null }), 200)).body.grantedSek).toBeNull();
    });

    it('refuses bad input with 400/409/413 problems and writes nothing', async () => {
      const area = await createArea({ name: 'Ändras inte' });
      await createArea({ name: 'Upptaget namn' });
      const path = `${AREAS}/${area.id}`;
      const headers = { 'if-match': '"1"' };
      const before = await snapshot(api.dataSource, await allTables());

      expectProblem(await api.request('PATCH', path, { rawBody: '{"name":', headers }), 400);
      expectInvalid(await patchArea(area.id, { colour: 'blue' }, { etag: '"1"' }), ['colour']);
      // The phase is fixed once an area exists.
      expectInvalid(await patchArea(area.id, { kurPhase: 'KUR1' }, { etag: '"1"' }), ['kurPhase']);
      expectInvalid(await patchArea(area.id, { name: 7, grantedSek: '1', status: 'OPEN' }, { etag: '"1"' }), [
        'name',
        'grantedSek',
        'status',
      ]);
      expectInvalid(
        await patchArea(
          area.id,
          { name: null, kurRegion: null, municipalityCodes: null, principals: null, status: null },
          {
            etag: '"1"',
          },
        ),
        ['name', 'kurRegion', 'municipalityCodes', 'principals', 'status'],
      );
      expectInvalid(await patchArea(area.id, { municipalityCodes: ['01800'] }, { etag: '"1"' }), ['municipalityCodes']);
      expectProblem(await patchArea(area.id, { name: 'Upptaget namn' }, { etag: '"1"' }), 409);
      expectProblem(await patchArea(area.id, { notes: 'x'.repeat(1_100_000) }, { etag: '"1"' }), 413);
      expectInvalid(await api.request('PATCH', `${AREAS}/not-a-uuid`, { body: {}, headers }), ['id']);
      expectProblem(
        await api.request('PATCH', `${AREAS}/6f1c2a7e-0000-4000-8000-000000000000`, { body: {}, headers }),
        404,
      );

      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
    });

    it('needs If-Match (428) and refuses a stale or foreign one (412)', async () => {
      const area = await createArea({ notes: 'original' });
      const path = `${AREAS}/${area.id}`;
      expectProblem(await api.request('PATCH', path, { body: { notes: 'no precondition' } }), 428);
      expectProblem(await patchArea(area.id, { notes: 'garbage etag' }, { etag: 'version-1' }), 412);
      await must(patchArea(area.id, { notes: 'first' }, { etag: '"1"' }), 200);
      const stale = await patchArea(area.id, { notes: 'second' }, { etag: '"1"' });
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(2);
      expect((await api.request('GET', path)).body).toMatchObject({ notes: 'first', version: 2 });
      expect((await auditTrail(area.id)).map((event) => event.action)).toEqual(['area.created', 'area.updated']);
    });

    it('lets exactly one of two concurrent writers with the same ETag win', async () => {
      const area = await createArea();
      const [left, right] = await Promise.all([
        patchArea(area.id, { notes: 'left' }, { etag: '"1"' }),
        patchArea(area.id, { notes: 'right' }, { etag: '"1"' }),
      ]);
      expect([left.status, right.status].sort()).toEqual([200, 412]);
      const winner = left.status === 200 ? 'left' : 'right';
      expect((await api.request('GET', `${AREAS}/${area.id}`)).body).toMatchObject({ notes: winner, version: 2 });
    });

    it('is for admins: 401 without a token, 403 for every other role, whatever the scope', async () => {
      const area = await createArea({ municipalityCodes: ['0180'] });
      expectProblem(await patchArea(area.id, { notes: 'x' }, { etag: '"1"', token: null }), 401);
      const own = await api.tokenFor(Role.COORDINATOR, { areas: [area.id] });
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: await associationCovering('0180') });
      for (const token of [own, chief, api.tokens.service]) {
        expectProblem(await patchArea(area.id, { notes: 'x' }, { etag: '"1"', token }), 403);
      }
      expect((await api.request('GET', `${AREAS}/${area.id}`)).body).toMatchObject({ notes: null, version: 1 });
    });
  });

  // ---- acceptance 5: a write failing half-way ------------------------------------------------

  describe('a PATCH failing half-way', () => {
    /**
     * Makes the audit insert, the last write of an area update, fail, but only once the area row
     * and its municipality links have already been rewritten inside the same transaction. If the
     * service stopped writing earlier, the trigger would let the update through and the test fail.
     */
    async function failAuditAfterAreaWrites(areaId: string, newName: string, newCode: string) {
      await api.dataSource.query(`
        CREATE FUNCTION fail_after_area_writes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.entity_id = '${areaId}'
             AND EXISTS (SELECT 1 FROM area WHERE id = '${areaId}' AND name = '${newName}')
             AND EXISTS (SELECT 1 FROM area_municipality WHERE area_id = '${areaId}' AND municipality_code = '${newCode}')
          THEN
            RAISE EXCEPTION 'injected failure after the area and its municipalities were written';
          END IF;
          RETURN NEW;
        END $$`);
      await api.dataSource.query(
        'CREATE TRIGGER fail_after_area_writes BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_after_area_writes()',
      );
    }

    async function removeFailure() {
      await api.dataSource.query('DROP TRIGGER IF EXISTS fail_after_area_writes ON audit_event');
      await api.dataSource.query('DROP FUNCTION IF EXISTS fail_after_area_writes()');
    }

    afterEach(removeFailure);

    it('leaves every table exactly as before, and the same request succeeds afterwards', async () => {
      const area = await createArea({ name: 'Halvvägs', municipalityCodes: ['0484', '0480'] });
      const change = { name: 'Halvvägs ändrad', municipalityCodes: ['0180', '0484'], grantedSek: 250000 };
      await failAuditAfterAreaWrites(area.id, change.name, '0180');
      const before = await snapshot(api.dataSource, await allTables());

      const failed = await patchArea(area.id, change, { etag: '"1"' });
      expectProblem(failed, 500);
      expect(failed.body.errorId).toEqual(expect.any(String));
      expect(JSON.stringify(failed.body)).not.toContain('injected failure');

      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
      await removeFailure();
      // The version did not move either: the client's ETag is still good.
      const retried = await must(patchArea(area.id, change, { etag: '"1"' }), 200);
      expect(retried.body).toMatchObject({ name: change.name, municipalityCodes: ['0180', '0484'], version: 2 });
    });

    it('leaves every table exactly as before when a rule refuses a new municipality list and name', async () => {
      const area = await grantedArea({ grantedSek: 100000, municipalityCodes: ['0484'] });
      await newActivity(area.id, 80000);
      const before = await snapshot(api.dataSource, await allTables());
      const refused = await patchArea(area.id, {
        name: 'Ny namn',
        municipalityCodes: ['0180', '0123'],
        grantedSek: 50000,
      });
      expectRule(refused, 'ACTIVITY_COSTS_WITHIN_GRANT');
      expect(await snapshot(api.dataSource, await allTables())).toEqual(before);
    });
  });

  it('answers two simultaneous creations of the same area with one 201 and one 409', async () => {
    const body = areaBody({ name: 'Samtidigt område' });
    const statuses = (await Promise.all([postArea(body), postArea(body)])).map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409]);
  });
});
