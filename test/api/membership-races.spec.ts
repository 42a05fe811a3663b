import { QueryRunner } from 'typeorm';
import { RegistryImportService } from '../../src/associations/registry-import.service';
import { today } from '../../src/core/time';
import { referenceAssociations } from '../fakes/reference-registry';
import { auditOf, expectProblem } from '../support/assertions';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/**
 * Memberships changed through the API while the registry import runs, with real concurrent
 * transactions: a third connection holds locks to force the interleavings that used to deadlock.
 */
describe('membership writes racing the registry import', () => {
  let api: TestApp;
  let once: TestApp;
  let holder: QueryRunner | undefined;
  const stockholm = referenceAssociations().find((record) => record.name === 'Samordningsförbundet Stockholms stad')!;

  beforeAll(async () => {
    [api, once] = await Promise.all([startTestApp(), startTestApp({ TRANSACTION_ATTEMPTS: '1' })]);
  });
  afterEach(async () => {
    if (holder?.isTransactionActive) await holder.rollbackTransaction();
    await holder?.release();
    holder = undefined;
  });
  afterAll(() => Promise.all([api.close(), once.close()]));

  /** A transaction on its own connection that holds row locks until the test lets go. */
  async function hold(app: TestApp, sql: string, params: unknown[]): Promise<QueryRunner> {
    holder = app.dataSource.createQueryRunner();
    await holder.connect();
    await holder.query(`SET deadlock_timeout = '60s'`); // the other side detects the deadlock, not this one
    await holder.startTransaction();
    await holder.query(sql, params);
    return holder;
  }

  /** Sessions of this app's database waiting for a lock. */
  const lockWaits = async (app: TestApp): Promise<number> =>
    (
      await app.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0].n;

  const associationId = async (app: TestApp): Promise<string> =>
    (
      await app.dataSource.query('SELECT id FROM coordination_association WHERE external_id = $1', [
        stockholm.externalId,
      ])
    )[0].id;

  const addMember = (app: TestApp, id: string, municipalityCode: string) =>
    app.request('POST', `/api/v1/associations/${id}/memberships`, { body: { municipalityCode } });

  it('does not wait for a registry import that is itself waiting: municipalities are locked before associations everywhere', async () => {
    const id = await associationId(api);
    // Another writer holds municipality 0123, which the registry record lists first.
    const other = await hold(api, `SELECT code FROM municipality WHERE code = '0123' FOR NO KEY UPDATE`, []);
    const importing = api.app
      .get(RegistryImportService)
      .apply(
        [{ ...stockholm, name: 'Samordningsförbundet Stockholm', memberMunicipalityCodes: ['0123', '0180', '0186'] }],
        today(),
        'test:registry',
      );
    importing.catch(() => undefined);
    await waitFor(async () => (await lockWaits(api)) === 1, { what: 'the import waiting for municipality 0123' });

    const added = addMember(api, id, '0186');
    const answered = await waitFor(
      async () => {
        const settled = await Promise.race([added, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
        return settled ?? ((await lockWaits(api)) === 2 && 'blocked');
      },
      { what: 'the membership request to answer or block' },
    );
    await other.commitTransaction();
    const changes = await importing;

    expect(answered).not.toBe('blocked');
    expect((answered as ApiResponse).status).toBe(201);
    expect(changes.joined.map((row) => row.municipalityCode)).toEqual(['0123']);
    const members = await api.dataSource.query(
      'SELECT municipality_code FROM membership WHERE association_id = $1 AND valid_to IS NULL ORDER BY 1',
      [id],
    );
    expect(members.map((row: { municipality_code: string }) => row.municipality_code)).toEqual([
      '0123',
      '0180',
      '0186',
    ]);
  });

  /**
   * The request locks municipality M and waits for the association, which another transaction
   * holds; that one then asks for M: a deadlock, which PostgreSQL resolves by aborting the request's
   * transaction.
   */
  async function deadlockedRequest(app: TestApp, municipalityCode: string) {
    const id = await associationId(app);
    const other = await hold(app, 'SELECT id FROM coordination_association WHERE id = $1 FOR UPDATE', [id]);
    const request = addMember(app, id, municipalityCode);
    await waitFor(async () => (await lockWaits(app)) === 1, { what: 'the request waiting for the association' });
    await other.query('SELECT code FROM municipality WHERE code = $1 FOR NO KEY UPDATE', [municipalityCode]);
    await other.commitTransaction();
    return { id, response: await request };
  }

  it('retries a transaction that lost a deadlock, and records it once', async () => {
    const { id, response } = await deadlockedRequest(api, '0125');
    expect(response.status).toBe(201);
    const opened = (await auditOf(api.dataSource, id)).filter(
      (event) => event.action === 'membership.opened' && event.changes.municipalityCode === '0125',
    );
    expect(opened).toHaveLength(1);
  });

  it('answers 503 problem+json with Retry-After when the tries are used up, having changed nothing', async () => {
    const { id, response } = await deadlockedRequest(once, '0125');
    expectProblem(response, 503);
    expect(response.body.type).toBe('/problems/contention');
    expect(response.headers.get('retry-after')).toBe('1');
    const rows = await once.dataSource.query(
      `SELECT 1 FROM membership WHERE association_id = $1 AND municipality_code = '0125'`,
      [id],
    );
    expect(rows).toHaveLength(0);
  });
});
