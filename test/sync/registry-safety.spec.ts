import { referenceAssociations } from '../fakes/reference-registry';
import { FinsamRegistry, startFinsamRegistry } from '../fakes/finsam-registry';
import { expectOk } from '../pipeline/kur-fixtures';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** What the registry sync does with a record it rejects, and with a snapshot that would switch off too much. */
describe('registry sync safety', () => {
  let api: TestApp;
  let registry: FinsamRegistry;
  const reference = referenceAssociations();
  const STOCKHOLM = 'Samordningsförbundet Stockholms stad';

  beforeAll(async () => {
    registry = await startFinsamRegistry({ associations: reference, pageSize: 10 });
    api = await startTestApp(
      { REGISTRY_URL: registry.url, REGISTRY_PAGE_SIZE: '10', REGISTRY_MAX_DEACTIVATE_SHARE: '0.1' },
      { worker: true },
    );
  });
  afterAll(async () => {
    await api.close();
    await registry.close();
  });
  afterEach(() => registry.setAssociations(reference));

  async function runSync() {
    const started = await expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind: 'REGISTRY' } }));
    return waitFor(
      async () => {
        const run = await expectOk(api.request('GET', `/api/v1/sync-runs/${started.id}`));
        return !['QUEUED', 'RUNNING'].includes(run.status) && run;
      },
      { what: 'the registry run to end' },
    );
  }

  /** Every association with its active flag and current members, as the database holds them. */
  const world = () =>
    api.dataSource.query(
      `SELECT a.external_id, a.name, a.active,
              array(SELECT m.municipality_code::text FROM membership m
                    WHERE m.association_id = a.id AND m.valid_to IS NULL ORDER BY 1) AS members
       FROM coordination_association a ORDER BY a.external_id`,
    );

  it('leaves an association whose record is rejected as it was, and ends PARTIAL with the reason per record', async () => {
    const before = await world();
    const stockholm = reference.find((association) => association.name === STOCKHOLM)!;
    registry.setAssociations(
      reference.map((association) =>
        association === stockholm
          ? {
              ...association,
              name: 'Omdöpt',
              memberMunicipalityCodes: [...association.memberMunicipalityCodes, '9999'],
            }
          : association,
      ),
    );
    const run = await runSync();
    expect(run).toMatchObject({ status: 'PARTIAL', counts: { fetched: 44, failed: 1, unchanged: 43 } });
    expect(run.details.deactivated).toBe(0);
    expect(run.details.rejected).toEqual([
      { externalId: stockholm.externalId, reason: expect.stringContaining('9999') },
    ]);
    expect(await world()).toEqual(before);
    const partial = await expectOk(api.request('GET', '/api/v1/sync-runs?kind=REGISTRY&status=PARTIAL'));
    expect(partial.items.map((item: { id: string }) => item.id)).toEqual([run.id]);
  });

  it.each([
    ['empty', () => []],
    [
      'truncated',
      () => reference.slice(0, 10).map((association) => ({ ...association, name: `${association.name} (ny)` })),
    ],
  ])('refuses an %s registry answer: FAILED with the reason, nothing applied or deactivated', async (_, answer) => {
    const before = await world();
    registry.setAssociations(answer());
    const run = await runSync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/would deactivate \d+ of 44 active associations/);
    expect(await world()).toEqual(before);
  });

  it('deactivates an association the registry no longer lists when that stays within the share', async () => {
    const gone = reference.find((association) => association.name === STOCKHOLM)!;
    registry.setAssociations(reference.filter((association) => association !== gone));
    const run = await runSync();
    expect(run).toMatchObject({ status: 'SUCCEEDED', details: { deactivated: 1 } });
    const rows = await world();
    expect(rows.find((row: { external_id: string }) => row.external_id === gone.externalId)).toMatchObject({
      active: false,
      members: [],
    });
  });
});
