import { finishedWork } from '../pipeline/kur-fixtures';
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
    await finishedWork(api, 'Eskilstuna med partner', ['0484']);
    planId = (await api.request('GET', '/api/v1/plans')).body.items[0].id;
  });
  afterAll(() => api.close());

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
