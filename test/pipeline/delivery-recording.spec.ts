import { randomUUID } from 'node:crypto';
import { PushOutcome } from '../../src/core/webhooks/signed-push';
import { DeliveryRecorder } from '../../src/handovers/delivery-recorder';
import { RoutingService } from '../../src/handovers/routing.service';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { finishAreas, prepareDeliveryWorld, seedGrantedAreas } from '../support/finished-areas';
import { SqlCounter, countStatements } from '../support/sql-counter';
import { TestApp, startTestApp } from '../support/test-app';

const outcome = (httpStatus: number): PushOutcome => ({
  startedAt: new Date(),
  httpStatus,
  errorClass: null,
  excerpt: null,
  retryAfterMs: null,
  latencyMs: 3,
});

/**
 * Pushes that end together are recorded together (group commit): one statement for the attempts
 * of distinct handovers, one more for each repetition of a handover, whose attempts are numbered
 * one after the other. No worker runs: the test routes the areas and records the attempts itself.
 */
describe('recording delivery attempts together', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let counter: SqlCounter;
  let handovers: { id: string; deliveryRound: number; associationId: string; url: string }[];

  beforeAll(async () => {
    api = await startTestApp({ DELIVERY_RETRY_SCHEDULE: '0,5s,5m' });
    receiver = await startAssociationReceiver();
    const world = await prepareDeliveryWorld(api, receiver);
    const seeded = await seedGrantedAreas(world, 2, 3);
    await finishAreas(world, seeded.areaIds);
    for (const areaId of seeded.areaIds) await api.app.get(RoutingService).routeArea(areaId, 1);
    handovers = await api.dataSource.query(
      `SELECT id, delivery_round AS "deliveryRound", association_id AS "associationId", 'http://127.0.0.1:9/x' AS url
         FROM handover WHERE area_id = ANY($1) AND status = 'READY' ORDER BY id`,
      [seeded.areaIds],
    );
  });

  afterAll(async () => {
    counter?.stop();
    await api?.close();
    await receiver?.close();
  });

  it('records six handovers and a repeated one in two statements, numbering the repeat after the first', async () => {
    expect(handovers).toHaveLength(6);
    const recorder = api.app.get(DeliveryRecorder);
    const record = (handover: (typeof handovers)[number], status: number, attemptId = randomUUID()) =>
      recorder.record(handover, { url: handover.url, secret: 'unused' }, outcome(status), attemptId);
    counter = countStatements(api.app, { bySender: false });
    const [delivered, retried] = [handovers.slice(0, 5), handovers[5]];
    const retryId = randomUUID();
    const results = await Promise.all([
      ...delivered.map((handover) => record(handover, 204)),
      record(retried, 503, retryId),
      record(retried, 503),
    ]);

    expect(counter.total()).toBe(2);
    expect(results.map((result) => result.result)).toEqual([...Array(5).fill('DELIVERED'), 'RETRY', 'RETRY']);
    const attempts: { handover_id: string; attempt_number: number; outcome: string }[] = await api.dataSource.query(
      `SELECT handover_id, attempt_number, outcome FROM delivery_attempt WHERE handover_id = ANY($1) ORDER BY handover_id, attempt_number`,
      [handovers.map((handover) => handover.id)],
    );
    expect(attempts).toEqual([
      ...delivered.map((handover) => ({ handover_id: handover.id, attempt_number: 1, outcome: 'DELIVERED' })),
      { handover_id: retried.id, attempt_number: 1, outcome: 'RETRY' },
      { handover_id: retried.id, attempt_number: 2, outcome: 'RETRY' },
    ]);
    const [{ events }] = await api.dataSource.query(
      `SELECT count(*)::int AS events FROM audit_event WHERE action = 'handover.delivered' AND entity_id = ANY($1)`,
      [delivered.map((handover) => handover.id)],
    );
    expect(events).toBe(5);

    // Recording an attempt again (a commit whose answer was lost) changes nothing and answers as before.
    const again = await record(retried, 503, retryId);
    expect(again.result).toBe('RETRY');
    const [{ count }] = await api.dataSource.query(
      `SELECT count(*)::int AS count FROM delivery_attempt WHERE handover_id = $1`,
      [retried.id],
    );
    expect(count).toBe(2);
  });
});
