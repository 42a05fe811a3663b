import { TestApp, startTestApp } from '../support/test-app';

/**
 * The OpenAPI document is part of the contract with association systems: a change to it must be
 * deliberate. The committed snapshot fails this test when the generated document drifts; accept a
 * deliberate change with `npx jest test/schema/openapi -u` and commit the snapshot.
 */
describe('OpenAPI document', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('matches the committed document', async () => {
    const document = await api.request('GET', '/docs-json', { token: null });
    expect(document.status).toBe(200);
    expect(document.body).toMatchSnapshot();
  });
});
