import { referenceAssociations } from '../fakes/reference-registry';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { FinsamRegistry, startFinsamRegistry } from '../fakes/finsam-registry';
import { expectOk, finishedWork, handoversOf } from '../pipeline/kur-fixtures';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

describe('registry sync', () => {
  let api: TestApp;
  let registry: FinsamRegistry;
  let receiver: AssociationReceiver;
  const reference = referenceAssociations();

  beforeAll(async () => {
    registry = await startFinsamRegistry({ associations: reference, pageSize: 10 });
    receiver = await startAssociationReceiver();
    api = await startTestApp(
      { REGISTRY_URL: registry.url, REGISTRY_PAGE_SIZE: '10', SYNC_PAGE_ATTEMPTS: '3', SYNC_PAGE_RETRY_MS: '20' },
      { worker: true },
    );
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([registry.close(), receiver.close()]);
  });

  async function runSync() {
    const started = await api.request('POST', '/api/v1/sync-runs', { body: { kind: 'REGISTRY' } });
    expect(started.status).toBe(202);
    return waitFor(
      async () => {
        const run = await expectOk(api.request('GET', `/api/v1/sync-runs/${started.body.id}`));
        return ['SUCCEEDED', 'FAILED'].includes(run.status) && run;
      },
      { what: 'the registry run to end' },
    );
  }

  it('reports an unchanged registry as unchanged, page by page', async () => {
    const run = await runSync();
    expect(run).toMatchObject({
      kind: 'REGISTRY',
      trigger: 'MANUAL',
      status: 'SUCCEEDED',
      counts: { fetched: 44, inserted: 0, updated: 0, unchanged: 44, failed: 0 },
      progress: { pagesDone: 5, pagesKnown: 5, percent: 100 },
    });
  });

  it('resolves and delivers a waiting handover when its municipality joins, and closes (never deletes) a membership that ends', async () => {
    const areaId = await finishedWork(api, 'Järfälla med partner', ['0123']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    await waitFor(async () => (await handoversOf(api, areaId))[0]?.status === 'PENDING_RESOLUTION', {
      what: 'the waiting handover',
    });

    const endpoint = receiver.addReceiver('stockholm');
    registry.setAssociations(
      reference.map((association) => {
        if (association.name === 'Samordningsförbundet Stockholms stad') {
          return {
            ...association,
            endpoint,
            chief: { name: 'Förbundschefen', email: 'chef@example.org' },
            memberMunicipalityCodes: ['0123', '0180'],
          };
        }
        if (association.name === 'Samordningsförbundet VärNa')
          return { ...association, memberMunicipalityCodes: ['0120'] };
        return association;
      }),
    );
    const run = await runSync();
    expect(run).toMatchObject({ status: 'SUCCEEDED', counts: { fetched: 44, updated: 2, unchanged: 42 } });
    expect(run.details.joined).toEqual([expect.objectContaining({ municipalityCode: '0123' })]);
    expect(run.details.left).toEqual([expect.objectContaining({ municipalityCode: '0182' })]);

    const delivered = await waitFor(
      async () => {
        const [handover] = await handoversOf(api, areaId);
        return handover.status === 'DELIVERED' && handover;
      },
      { what: 'the handover delivered after joining' },
    );
    expect(receiver.deliveries('stockholm').map((delivery) => delivery.webhookId)).toEqual([delivered.deliveryId]);

    const varna = (await expectOk(api.request('GET', '/api/v1/associations?municipalityCode=0120'))).items[0];
    const memberships = (await expectOk(api.request('GET', `/api/v1/associations/${varna.id}/memberships`))).items;
    expect(memberships).toContainEqual(
      expect.objectContaining({ municipalityCode: '0182', validTo: expect.any(String) }),
    );
    expect(varna.memberMunicipalityCodes).toEqual(['0120']);
  });

  it('keeps one association at a time even when the registry lists a municipality twice (the later page wins)', async () => {
    registry.setAssociations(
      reference.map((association) =>
        association.name === 'Samordningsförbundet Stockholms stad'
          ? { ...association, memberMunicipalityCodes: ['0120', '0123', '0180'] }
          : association,
      ),
    );
    const run = await runSync();
    expect(run.status).toBe('SUCCEEDED');
    const open: { association_id: string }[] = await api.dataSource.query(
      `SELECT association_id FROM membership WHERE municipality_code = '0120' AND valid_to IS NULL`,
    );
    expect(open).toHaveLength(1);
    // Pages come in externalId order: VärNa (…-varna) after Stockholms stad (…-stockholms-stad).
    const covering = await expectOk(api.request('GET', '/api/v1/associations?municipalityCode=0120'));
    expect(covering.items.map((association: { name: string }) => association.name)).toEqual([
      'Samordningsförbundet VärNa',
    ]);
    registry.setAssociations(reference);
  });

  it('ends FAILED, with the error, when a page keeps failing, having applied only whole pages', async () => {
    registry.failPage(3, 'always');
    const run = await runSync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain('HTTP 500');
    expect(run.progress).toMatchObject({ pagesDone: 2, pagesKnown: 5 });
    registry.clearFailures();
    expect((await runSync()).status).toBe('SUCCEEDED');
  });

  it('is for administrators, and validates what it is asked', async () => {
    expect((await api.request('POST', '/api/v1/sync-runs', { body: { kind: 'EVERYTHING' } })).status).toBe(400);
    const service = api.tokens.service;
    expect(
      (await api.request('POST', '/api/v1/sync-runs', { token: service, body: { kind: 'REGISTRY' } })).status,
    ).toBe(403);
    const list = await expectOk(api.request('GET', '/api/v1/sync-runs?kind=REGISTRY&limit=2'));
    expect(list.items).toHaveLength(2);
    expect(list.nextCursor).not.toBeNull();
    const all = await expectOk(api.request('GET', '/api/v1/sync-runs?kind=REGISTRY&limit=200'));
    const newestFirst = await expectOk(api.request('GET', '/api/v1/sync-runs?kind=REGISTRY&order=desc&limit=2'));
    expect(newestFirst.items.map((run: { id: string }) => run.id)).toEqual(
      all.items.map((run: { id: string }) => run.id).reverse().slice(0, 2),
    );
    const next = await expectOk(
      api.request('GET', `/api/v1/sync-runs?kind=REGISTRY&order=desc&limit=2&cursor=${newestFirst.nextCursor}`),
    );
    expect(next.items[0]?.id).toBe(all.items[all.items.length - 3]?.id);
    expect((await api.request('GET', '/api/v1/sync-runs?order=sideways')).status).toBe(400);
  });
});
