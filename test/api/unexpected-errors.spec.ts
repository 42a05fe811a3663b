import { expectProblem, snapshot } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

/**
 * An error a service did not expect is a 500 with an error id, never a 404 or 422 that hides it.
 * The failures are real: a table this file's database no longer has under its name, as after a
 * failed migration or a revoked grant, so the query fails in PostgreSQL (42P01).
 */
describe('unexpected errors are 500s, not 4xx', () => {
  let api: TestApp;
  let planId: string;

  beforeAll(async () => {
    api = await startTestApp();
    const area = await created(
      api.request('POST', '/api/v1/areas', {
        body: { name: 'Eskilstuna med partner', kurRegion: 'MITT', kurPhase: 'KUR2', municipalityCodes: ['0484'] },
      }),
    );
    const activity = await created(
      api.request('POST', '/api/v1/activities', {
        body: {
          areaId: area.id,
          type: 'COOPERATION_PLAN',
          title: 'Samverkansplan',
          planningPrincipals: ['FK', 'AF', 'MUNICIPALITY', 'REGION'],
        },
      }),
    );
    const content = {
      targetGroup: 'Unga vuxna',
      needsAnalysis: { summary: 'Behov', prioReferences: [] },
      goals: [{ statement: 'Arbete', indicator: 'Andel', baseline: '1', target: '2', dueDate: '2016-12-31' }],
      measures: [{ action: 'Möten', responsiblePrincipal: 'FK', dueDate: '2016-06-30' }],
      followUp: { method: 'Rapport', interval: 'Halvår', owner: 'Beredningsgruppen' },
    };
    planId = (
      await created(
        api.request('POST', '/api/v1/plans', { body: { activityId: activity.id, kind: 'COOPERATION', content } }),
      )
    ).id;
  });
  afterAll(() => api.close());

  async function created(response: Promise<ApiResponse>) {
    const { status, body } = await response;
    if (status !== 201) throw new Error(`HTTP ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Runs `during` while `table` is unavailable to the app, and puts it back whatever happens. */
  async function withoutTable<T>(table: string, during: () => Promise<T>): Promise<T> {
    await api.dataSource.query(`ALTER TABLE "${table}" RENAME TO "${table}_unavailable"`);
    try {
      return await during();
    } finally {
      await api.dataSource.query(`ALTER TABLE "${table}_unavailable" RENAME TO "${table}"`);
    }
  }

  function expectInternal(response: ApiResponse) {
    expectProblem(response, 500);
    expect(response.body).toMatchObject({ type: '/problems/internal', errorId: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/_unavailable|relation/);
  }

  it('answers 500, not 404, when checking that a plan is visible fails in the database', async () => {
    expect((await api.request('GET', `/api/v1/plans/${planId}`)).status).toBe(200);
    const response = await withoutTable('activity', () => api.request('GET', `/api/v1/plans/${planId}`));
    expectInternal(response);
  });

  it('answers 500, not 422 KNOWN_COUNTY, when looking up the county fails in the database, and writes nothing', async () => {
    const before = await snapshot(api.dataSource, ['coordination_association', 'audit_event']);
    const body = { externalId: '222000-0001', name: 'Samordningsförbundet Test', countyCode: '01' };
    const response = await withoutTable('county', () => api.request('POST', '/api/v1/associations', { body }));
    expectInternal(response);
    expect(await snapshot(api.dataSource, ['coordination_association', 'audit_event'])).toEqual(before);
    expect((await api.request('POST', '/api/v1/associations', { body })).status).toBe(201);
  });
});
