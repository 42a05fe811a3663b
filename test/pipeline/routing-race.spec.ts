import { QueryRunner } from 'typeorm';
import { RoutingService } from '../../src/handovers/routing.service';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { expectOk, finishedWork } from './kur-fixtures';

/**
 * Routing reads an area without a lock and claims the revision in the statement that writes its
 * handovers. Two routings of one revision that both read before either writes must still make one
 * set: one handover per association, one per uncovered municipality with one case, one audit event
 * and one delivery job each. The two routings run in two instances of the service on one database,
 * as two workers would (calls in one process share a statement). No worker runs here, so only the
 * two calls route.
 */
describe('two routings of one revision at once', () => {
  let api: TestApp;
  let other: TestApp;
  let holder: QueryRunner;

  beforeAll(async () => {
    api = await startTestApp();
    other = await startTestApp({}, { database: new URL(api.config.DATABASE_URL).pathname.slice(1) });
  });
  afterAll(async () => {
    if (holder?.isTransactionActive) await holder.rollbackTransaction();
    await holder?.release();
    await other?.close();
    await api.close();
  });

  it('write one set of handovers, cases, audit events and delivery jobs', async () => {
    // Södertälje belongs to an association, Ekerö to none.
    const areaId = await finishedWork(api, 'Södertälje och Ekerö med partner', ['0181', '0125']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));

    // Both read, then both wait to claim behind a third connection that holds the area.
    holder = api.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM area WHERE id = $1 FOR UPDATE', [areaId]);
    const both = Promise.all([
      api.app.get(RoutingService).routeArea(areaId, 1),
      other.app.get(RoutingService).routeArea(areaId, 1),
    ]);
    await waitFor(async () => (await lockWaits()) === 2, { what: 'both routings waiting to claim the revision' });
    await holder.rollbackTransaction();

    expect((await both).sort()).toEqual([0, 2]);
    const [written] = await api.dataSource.query(
      `SELECT
         (SELECT count(*)::int FROM handover WHERE area_id = $1) AS handovers,
         (SELECT count(*)::int FROM resolution_case WHERE area_id = $1) AS cases,
         (SELECT count(*)::int FROM audit_event WHERE action = 'handover.created'
             AND entity_id IN (SELECT id::text FROM handover WHERE area_id = $1)) AS "createdEvents",
         (SELECT count(*)::int FROM outbox_message WHERE job_name = 'deliver-handover'
             AND payload->>'handoverId' IN (SELECT id::text FROM handover WHERE area_id = $1)) AS "deliveryJobs",
         (SELECT routed_revision FROM area WHERE id = $1) AS "routedRevision"`,
      [areaId],
    );
    expect(written).toEqual({ handovers: 2, cases: 1, createdEvents: 2, deliveryJobs: 1, routedRevision: 1 });
  });

  const lockWaits = async (): Promise<number> =>
    (
      await api.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0].n;
});
