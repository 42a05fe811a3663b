import { Role } from '../../src/auth/principal';
import { TestApp, startTestApp } from '../support/test-app';

describe('reference data over the API', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('pages through exactly 290 municipalities with no duplicates', async () => {
    const codes: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.request(
        'GET',
        `/api/v1/municipalities?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      codes.push(...page.body.items.map((item: { code: string }) => item.code));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(codes).toHaveLength(290);
    expect(new Set(codes).size).toBe(290);
    expect(codes).toEqual([...codes].sort());
  });

  it('knows 0180 as Stockholm in Stockholms län', async () => {
    const response = await api.request('GET', '/api/v1/municipalities/0180');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ code: '0180', name: 'Stockholm', countyCode: '01' });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('filters municipalities by county and lists the 21 counties', async () => {
    const gotland = await api.request('GET', '/api/v1/municipalities?countyCode=09');
    expect(gotland.body.items).toEqual([{ code: '0980', name: 'Gotland', countyCode: '09' }]);
    const counties = await api.request('GET', '/api/v1/counties?limit=200');
    expect(counties.body.items).toHaveLength(21);
    expect(counties.body.items[0]).toEqual({ code: '01', name: 'Stockholms län', regionName: 'Region Stockholm' });
  });

  it('answers a malformed code with 400 and an unknown one with 404, as problem+json', async () => {
    const malformed = await api.request('GET', '/api/v1/municipalities/180');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.body.errors).toEqual([{ field: 'code', message: expect.any(String) }]);
    const unknown = await api.request('GET', '/api/v1/municipalities/0000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, title: 'Not Found', type: '/problems/not-found' });
  });

  it('rejects a bad limit or cursor with 400', async () => {
    expect((await api.request('GET', '/api/v1/municipalities?limit=201')).status).toBe(400);
    expect((await api.request('GET', '/api/v1/municipalities?limit=0')).status).toBe(400);
    const badCursor = await api.request('GET', '/api/v1/municipalities?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('needs a bearer token, except for health', async () => {
    const anonymous = await api.request('GET', '/api/v1/municipalities', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const forged = await api.request('GET', '/api/v1/municipalities', { token: 'not.a.token' });
    expect(forged.status).toBe(401);
    expect((await api.request('GET', '/health/live', { token: null })).status).toBe(200);
    const ready = await api.request('GET', '/health/ready', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      'queue:delivery': { status: 'up', waiting: 0, failed: 0 },
      'queue:routing': { status: 'up' },
      'queue:sync': { status: 'up' },
    });
    const chief = await api.tokenFor(Role.SERVICE);
    expect((await api.request('GET', '/api/v1/counties', { token: chief })).status).toBe(200);
  });

  it('serves the OpenAPI document', async () => {
    const docs = await api.request('GET', '/docs-json', { token: null });
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/areas', '/api/v1/municipalities/{code}']),
    );
  });
});
