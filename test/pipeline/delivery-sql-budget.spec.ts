import { Client } from 'pg';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { DeliveryWorld, finishAreas, prepareDeliveryWorld, seedGrantedAreas } from '../support/finished-areas';
import { SqlCounter, countStatements } from '../support/sql-counter';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const AREAS = 30;
const PER_AREA = 3;

/**
 * The SQL the worker spends per delivered handover, counted where TypeORM sends each statement
 * (START TRANSACTION and COMMIT included), from finishing areas to their last delivery: routing,
 * the relay, the deliveries and anything else the app sent meanwhile. Issue 9 asks for at most six.
 */
describe('SQL statements per delivered handover', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let world: DeliveryWorld;
  let counter: SqlCounter;
  let watch: Client;

  beforeAll(async () => {
    // The production poll interval: a test-speed one would add idle relay passes no deployment makes.
    api = await startTestApp({ OUTBOX_POLL_MS: '500', SWEEP_INTERVAL_MS: '300000' }, { worker: true });
    receiver = await startAssociationReceiver();
    world = await prepareDeliveryWorld(api, receiver);
    watch = new Client({ connectionString: api.config.DATABASE_URL });
    await watch.connect();
  });

  afterAll(async () => {
    counter?.stop();
    await watch?.end();
    await api?.close();
    await receiver?.close();
  });

  it('is at most six: routing at most two per area, a delivery at most two', async () => {
    const seeded = await seedGrantedAreas(world, AREAS, PER_AREA);
    counter = countStatements(api.app);
    await finishAreas(world, seeded.areaIds);
    await waitFor(
      async () => {
        const { rows } = await watch.query<{ delivered: number }>(
          `SELECT count(*)::int AS delivered FROM handover WHERE area_id = ANY($1) AND status = 'DELIVERED'`,
          [seeded.areaIds],
        );
        return rows[0].delivered === seeded.handovers;
      },
      { what: `${seeded.handovers} handovers delivered`, timeoutMs: 60_000 },
    );
    const bySender = counter.bySender();
    const perHandover = counter.total() / seeded.handovers;
    const report = JSON.stringify({ perHandover, bySender });

    expect(receiver.deliveries()).toHaveLength(seeded.handovers);
    expect({ report, withinBudget: perHandover <= 6 }).toEqual({ report, withinBudget: true });
    // A delivery reads and records, in statements it shares with the deliveries that read or record
    // at the same time (a delivery that found its endpoint's share taken reads once more, later);
    // routing reads once and writes once for the areas it routes together, whatever their municipalities.
    expect(bySender['deliver-handover'] / seeded.handovers).toBeLessThan(2.2);
    expect(bySender['route-area'] / AREAS).toBeLessThanOrEqual(2);
  });
});
