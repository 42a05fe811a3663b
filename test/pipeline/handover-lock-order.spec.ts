import { QueryRunner } from 'typeorm';
import { Role } from '../../src/auth/principal';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, expectOk, finishedWork, handoversOf } from './kur-fixtures';

/**
 * Routing a new revision holds the area and then supersedes (updates) the old revision's
 * handovers, so every transaction takes an area before its handovers. A third connection holds
 * the area to show that a decision waiting for it holds no handover meanwhile.
 */
describe('handover lock order', () => {
  let api: TestApp;
  let holder: QueryRunner | undefined;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
  });
  afterEach(async () => {
    if (holder?.isTransactionActive) await holder.rollbackTransaction();
    await holder?.release();
    holder = undefined;
  });
  afterAll(() => api.close());

  const lockWaits = async (): Promise<number> =>
    (
      await api.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0].n;

  it('a decline waiting for its area holds no lock on the handover', async () => {
    const sodertalje = await associationByMember(api, '0181');
    const areaId = await finishedWork(api, 'Södertälje med partner', ['0181']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [handover] = await waitFor(
      async () => {
        const all = await handoversOf(api, areaId);
        return all[0]?.status === 'DELIVERED' && all;
      },
      { what: 'the handover delivered to the feed' },
    );
    await holdArea(areaId);

    const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: sodertalje.id });
    const declined = api.request('POST', `/api/v1/handovers/${handover.id}/decision`, {
      token: chief,
      body: { decision: 'DECLINED', reason: 'Förbundet saknar resurser' },
    });
    await waitFor(async () => (await lockWaits()) === 1, { what: 'the decision waiting for the area' });
    expect(await handoverFree(handover.id)).toBe(true);
    expect((await declined).status).toBe(200);
  });

  it('routing a resolved handover waiting for its area holds no lock on the handover', async () => {
    const areaId = await finishedWork(api, 'Ekerö med partner', ['0125']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const found = await waitFor(async () => {
      const cases = await expectOk(api.request('GET', '/api/v1/resolution-cases?status=OPEN'));
      return cases.items.find((item: { municipalityCode: string }) => item.municipalityCode === '0125');
    });
    await holdArea(areaId);
    await expectOk(
      api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
        body: { resolution: 'WAIVED', reason: 'Kommunen driver arbetet vidare själv' },
      }),
    );
    await waitFor(async () => (await lockWaits()) === 1, { what: 'routing waiting for the area' });
    expect(await handoverFree(found.handoverId)).toBe(true);
    await waitFor(async () => (await handoversOf(api, areaId))[0].status === 'WAIVED', { what: 'the waived handover' });
  });

  async function holdArea(areaId: string): Promise<void> {
    holder = api.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM area WHERE id = $1 FOR UPDATE', [areaId]);
  }

  /** Whether the holder can lock the handover at once; then it lets go of everything. */
  async function handoverFree(handoverId: string): Promise<true | string> {
    const free = await holder!.query('SELECT id FROM handover WHERE id = $1 FOR UPDATE NOWAIT', [handoverId]).then(
      () => true as const,
      (error: Error) => error.message,
    );
    await holder!.commitTransaction();
    return free;
  }
});
