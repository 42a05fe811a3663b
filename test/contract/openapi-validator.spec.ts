import { assertKeepsContract } from '../support/openapi-validator';

/**
 * The check every e2e response goes through (test/support/test-app.ts): these show it refuses
 * what breaks the committed document, so a green e2e run means the responses kept it.
 */
describe('the OpenAPI response check', () => {
  const base = 'http://127.0.0.1:1';
  const area = {
    id: '3f2d6c1e-8a4b-4c1d-9e2f-1a2b3c4d5e6f',
    name: 'Eskilstuna med partner',
    kurRegion: 'MITT',
    kurPhase: 'KUR2',
    status: 'DRAFT',
    grantedSek: null,
    allocatedSek: 0,
    municipalityCodes: ['0484'],
    principals: [],
    summary: null,
    notes: null,
    version: 1,
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
  };
  const json = (extra: Record<string, string> = {}) =>
    new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1', etag: '"1"', ...extra });
  const problem = new Headers({ 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': 'r1' });
  const check = (method: string, path: string, status: number, headers: Headers, body: unknown) => () =>
    assertKeepsContract(method, `${base}${path}`, status, headers, body);

  it('accepts a response that keeps the contract, and an error as its problem+json', () => {
    expect(check('GET', `/api/v1/areas/${area.id}`, 200, json(), area)).not.toThrow();
    const notFound = { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'gone' };
    expect(check('GET', `/api/v1/areas/${area.id}`, 404, problem, notFound)).not.toThrow();
  });

  it('refuses an undocumented status', () => {
    expect(check('POST', `/api/v1/areas/${area.id}/finish`, 201, json(), {})).toThrow(
      /status 201 is not documented for POST/,
    );
  });

  it('refuses a body that does not match its schema', () => {
    expect(check('GET', `/api/v1/areas/${area.id}`, 200, json(), { ...area, grantedSek: '1000' })).toThrow(
      /body\/grantedSek must be integer/,
    );
    expect(check('GET', `/api/v1/areas/${area.id}`, 200, json(), { ...area, kurRegion: 'NOWHERE' })).toThrow(
      /body\/kurRegion must be equal to one of the allowed values/,
    );
  });

  it('refuses a missing required header and an undocumented content type', () => {
    const withoutEtag = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1' });
    expect(check('GET', `/api/v1/areas/${area.id}`, 200, withoutEtag, area)).toThrow(/header ETag is missing/);
    expect(check('GET', `/api/v1/areas/${area.id}`, 404, json(), {})).toThrow(/content type application\/json/);
  });

  it('refuses an operation the document does not have, but not an unknown route', () => {
    expect(check('DELETE', `/api/v1/areas/${area.id}`, 204, new Headers(), undefined)).toThrow(
      /not a documented operation/,
    );
    expect(check('GET', '/api/v1/nowhere', 404, problem, {})).not.toThrow();
  });
});
