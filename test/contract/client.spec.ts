import { Role } from '../../src/auth/principal';
import { assertKeepsContract } from '../support/openapi-validator';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, finishedWork, handoversOf } from '../pipeline/kur-fixtures';
import { kurClient, reviewHandover } from './client-program';

/** The generated client (openapi-typescript + openapi-fetch) does what the document promises, against the real API. */
describe('a client generated from openapi.json', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({}, { worker: true })));
  afterAll(() => api.close());

  it("lists a chief's areas, reads a handover with its package and accepts it", async () => {
    const stockholm = await associationByMember(api, '0180');
    const areaId = await finishedWork(api, 'Kungsholmen med partner', ['0180']);
    expect((await api.request('POST', `/api/v1/areas/${areaId}/finish`)).status).toBe(202);
    const [handover] = await waitFor(async () => {
      const all = await handoversOf(api, areaId);
      return all.length === 1 && all[0].status === 'DELIVERED' && all;
    });

    const client = kurClient(api.url, await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id }));
    client.use({
      // The client's responses keep the contract too, like every other e2e response.
      async onResponse({ request, response }) {
        const text = await response.clone().text();
        assertKeepsContract(request.method, response.url, response.status, response.headers, text && JSON.parse(text));
      },
    });
    const review = await reviewHandover(client, handover.id);

    expect(review.areas.map((area) => area.id)).toContain(areaId);
    expect(review.handover.package?.municipalities).toEqual([{ code: '0180', name: 'Stockholm' }]);
    expect(review.decided).toMatchObject({ id: handover.id, status: 'ACCEPTED' });
  });
});
