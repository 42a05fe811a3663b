import { readFileSync, writeFileSync } from 'node:fs';
import { TestApp, startTestApp } from '../support/test-app';
import { OPENAPI_FILE } from '../support/openapi-validator';

/**
 * The OpenAPI document is the contract with association systems and the source of the generated
 * client: the committed openapi.json must be what the app serves. A deliberate change is accepted
 * with `npm run openapi:update` (which runs this file with OPENAPI_UPDATE=1); then commit it.
 */
describe('OpenAPI document', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('is the committed openapi.json', async () => {
    const served = await api.request('GET', '/docs-json', { token: null });
    expect(served.status).toBe(200);
    if (process.env.OPENAPI_UPDATE === '1') writeFileSync(OPENAPI_FILE, `${JSON.stringify(served.body, null, 2)}\n`);
    expect(served.body).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });
});
