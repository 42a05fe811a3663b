import { PLAN_CONTENT, expectOk } from '../pipeline/kur-fixtures';
import { expectProblem, snapshot } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];

const CONTENT = PLAN_CONTENT;

/** Every table a refused write could have touched. */
const TABLES = ['area', 'area_municipality', 'activity', 'plan', 'plan_revision', 'plan_sign_off', 'audit_event'];

/** `{"a":{"a":…}}` this many levels deep, ending in a string: the shape that overflowed class-transformer. */
function nested(depth: number): unknown {
  let value: unknown = 'botten';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** The same depth as a raw JSON array text, the shortest way to nest (two bytes a level). */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile input is a 400, never a 500', () => {
  let api: TestApp;
  let areaId: string;
  let activityId: string;
  let planId: string;

  beforeAll(async () => {
    api = await startTestApp();
    areaId = (await created(api.request('POST', '/api/v1/areas', { body: areaBody('Eskilstuna med partner') }))).id;
    const activity = { areaId, type: 'COOPERATION_PLAN', title: 'Samverkansplan', planningPrincipals: PRINCIPALS };
    activityId = (await created(api.request('POST', '/api/v1/activities', { body: activity }))).id;
    planId = (
      await created(
        api.request('POST', '/api/v1/plans', { body: { activityId, kind: 'COOPERATION', content: CONTENT } }),
      )
    ).id;
  });
  afterAll(() => api.close());

  function areaBody(name: string, extra: Record<string, unknown> = {}) {
    return { name, kurRegion: 'MITT', kurPhase: 'KUR2', grantedSek: 400000, municipalityCodes: ['0484'], ...extra };
  }

  const created = (response: Promise<ApiResponse>) => expectOk(response, [201]);

  function expectFieldError(response: ApiResponse, field: string) {
    expectProblem(response, 400);
    expect(response.body.type).toBe('/problems/validation');
    expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  }

  /** The writes with a JSON body, with what they need besides it. */
  const writes = (): [string, string, Record<string, string>][] => [
    ['POST', '/api/v1/areas', {}],
    ['PATCH', `/api/v1/areas/${areaId}`, { 'if-match': '"1"' }],
    ['POST', '/api/v1/activities', {}],
    ['PATCH', `/api/v1/activities/${activityId}`, { 'if-match': '"1"' }],
    ['POST', '/api/v1/plans', {}],
    ['POST', `/api/v1/plans/${planId}/revisions`, { 'if-match': '"1"' }],
    ['POST', `/api/v1/plans/${planId}/sign-offs`, { 'if-match': '"1"' }],
    ['POST', '/api/v1/associations', {}],
    ['POST', `/api/v1/areas/${areaId}/finish`, {}],
  ];

  describe('JSON nested too deep (point 5)', () => {
    it('refuses 2 000 levels of nesting on every JSON write with a 400 problem, and changes nothing', async () => {
      const before = await snapshot(api.dataSource, TABLES);
      for (const [method, path, headers] of writes()) {
        for (const rawBody of [JSON.stringify({ name: nested(2000) }), nestedArrays(2000)]) {
          const response = await api.request(method, path, { rawBody, headers });
          expectProblem(response, 400);
          expect({ path, type: response.body.type }).toEqual({ path, type: '/problems/validation' });
          expect(response.body.detail).toMatch(/nest/i);
        }
      }
      expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
    });

    it('still validates a body nested no deeper than any request needs', async () => {
      const response = await api.request('POST', '/api/v1/areas', { body: areaBody('Djup', { notes: nested(20) }) });
      expectFieldError(response, 'notes');
    });
  });

  describe('lone UTF-16 surrogates (point 6)', () => {
    it.each([
      ['a high surrogate', 'x\ud800y'],
      ['a low surrogate', 'x\udc00y'],
      ['a reversed pair', '\udc00\ud800'],
      ['a high surrogate at the end', 'slut\udbff'],
    ])('refuses %s in a text field as a 400 naming the field, and writes nothing', async (_, text) => {
      const before = await snapshot(api.dataSource, TABLES);
      expectFieldError(await api.request('POST', '/api/v1/areas', { body: areaBody(text) }), 'name');
      expectFieldError(
        await api.request('PATCH', `/api/v1/areas/${areaId}`, {
          body: { notes: text },
          headers: { 'if-match': '"1"' },
        }),
        'notes',
      );
      const content = { ...CONTENT, goals: [{ ...CONTENT.goals[0], statement: text }] };
      expectFieldError(
        await api.request('POST', '/api/v1/plans', { body: { activityId, kind: 'COOPERATION', content } }),
        'content.goals.0.statement',
      );
      expectFieldError(
        await api.request('POST', '/api/v1/activities', {
          body: {
            areaId,
            type: 'COOPERATION_PLAN',
            title: 'Teman',
            planningPrincipals: PRINCIPALS,
            themes: ['ok', text],
          },
        }),
        'themes.1',
      );
      expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
    });

    it('refuses a lone surrogate in a field name', async () => {
      const response = await api.request('POST', '/api/v1/areas', { body: { ...areaBody('Nyckel'), 'x\ud800': 1 } });
      expectProblem(response, 400);
    });

    it('accepts a properly paired surrogate (a character outside the BMP) and stores it intact', async () => {
      const response = await api.request('POST', '/api/v1/areas', { body: areaBody('Område 🌲 med partner') });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('Område 🌲 med partner');
    });
  });

  describe('a list where one object belongs', () => {
    it('answers 400 naming the field, not 500, and writes nothing', async () => {
      const before = await snapshot(api.dataSource, TABLES);
      const association = { externalId: '222000-4444', name: 'Samordningsförbundet Lista', countyCode: '04' };
      for (const field of ['chief', 'endpoint']) {
        expectFieldError(
          await api.request('POST', '/api/v1/associations', { body: { ...association, [field]: [] } }),
          field,
        );
      }
      const activity = { areaId, type: 'KNOWLEDGE_INITIATIVE', title: 'Lista', planningPrincipals: PRINCIPALS };
      expectFieldError(
        await api.request('POST', '/api/v1/activities', { body: { ...activity, userInvolvement: [] } }),
        'userInvolvement',
      );
      expect(await snapshot(api.dataSource, [...TABLES, 'coordination_association'])).toEqual({
        ...before,
        coordination_association: expect.anything(),
      });
      expect(
        await api.dataSource.query("SELECT 1 FROM coordination_association WHERE external_id = '222000-4444'"),
      ).toEqual([]);
    });
  });

  describe('errors repeat nothing the client sent', () => {
    it('reports an unknown field at the object holding it, never by its name', async () => {
      const key = 'ZQ<script>alert(1)</script>';
      const top = await api.request('POST', '/api/v1/areas', { body: { ...areaBody('Okänt fält'), [key]: 1 } });
      expectFieldError(top, 'body');
      const content = { ...CONTENT, followUp: { ...CONTENT.followUp, [key]: 'x' } };
      const nested = await api.request('POST', '/api/v1/plans', { body: { activityId, kind: 'COOPERATION', content } });
      expectFieldError(nested, 'content.followUp');
      const query = await api.request('GET', `/api/v1/areas?${encodeURIComponent(key)}=1`);
      expectFieldError(query, 'query');
      const badKey = await api.request('POST', '/api/v1/areas', {
        body: { ...areaBody('Nyckel'), [`${key}\ud800`]: 1 },
      });
      expectFieldError(badKey, 'body');
      for (const response of [top, nested, badKey]) expect(JSON.stringify(response.body)).not.toContain('ZQ');
    });
  });

  describe('numbers beyond their column (point 7)', () => {
    it.each(['2147483648', '99999999999999999999', '1e10'])(
      'answers 400 naming the revision for /plans/{id}/revisions/%s',
      async (revision) => {
        expectFieldError(await api.request('GET', `/api/v1/plans/${planId}/revisions/${revision}`), 'revision');
      },
    );

    it('still answers a revision at the edge of the range: 404 for 2147483647, 200 for 1', async () => {
      expectProblem(await api.request('GET', `/api/v1/plans/${planId}/revisions/2147483647`), 404);
      expect((await api.request('GET', `/api/v1/plans/${planId}/revisions/1`)).status).toBe(200);
    });

    it.each([
      ['a sign-off revision', () => ['POST', `/api/v1/plans/${planId}/sign-offs`, signOff(2147483648)], 'revision'],
      [
        'an activity grant',
        () => ['POST', '/api/v1/activities', activityBody({ grantedSek: 2147483648 })],
        'grantedSek',
      ],
      ['participants', () => ['POST', '/api/v1/activities', participants(2147483648)], 'participants.0.planned'],
    ] as [string, () => [string, string, unknown], string][])(
      'answers 400 for %s beyond int4',
      async (_, make, field) => {
        const [method, path, body] = make();
        const before = await snapshot(api.dataSource, TABLES);
        expectFieldError(await api.request(method, path, { body, headers: { 'if-match': '"1"' } }), field);
        expect(await snapshot(api.dataSource, TABLES)).toEqual(before);
      },
    );

    it('answers 400 for a query number beyond int4', async () => {
      expectFieldError(await api.request('GET', '/api/v1/resolution-cases?olderThanDays=2147483648'), 'olderThanDays');
      expectFieldError(await api.request('GET', '/api/v1/areas?limit=2147483648'), 'limit');
    });

    const signOff = (revision: number) => ({
      principal: 'FK',
      signerName: 'Chef',
      managementLevel: 'TOP',
      signedOn: '2015-11-20',
      revision,
    });
    const activityBody = (extra: Record<string, unknown>) => ({
      areaId,
      type: 'KNOWLEDGE_INITIATIVE',
      title: `Stora tal ${Object.keys(extra).join()}`,
      planningPrincipals: PRINCIPALS,
      ...extra,
    });
    const participants = (planned: number) => activityBody({ participants: [{ principal: 'FK', planned }] });
  });
});
