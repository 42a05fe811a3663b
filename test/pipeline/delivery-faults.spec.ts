import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { PrivateStack, startPrivateStack } from '../support/private-stack';
import { FAST_PIPELINE, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { expectOk, finishedWork, setEndpoint } from './kur-fixtures';

/** Twelve associations, each with its own receiver (r0 … r11) and one member municipality an area can cover. */
const RECIPIENTS = 12;
const DEAD = 'r11';
/** Ten more associations share the dead endpoint, so one area makes it a backlog bigger than a worker's slots. */
const SHARING_DEAD = 10;
/** Long enough that the old code's schedule (attempts counted per job failure, about one a second) ran out. */
const DATABASE_OUTAGE_MS = 20_000;
/** Long enough that ioredis' uncapped reconnect backoff had grown to about 20 s. */
const REDIS_OUTAGE_MS = 20_000;

/**
 * Delivery under faults, with the built API and worker processes on private PostgreSQL and Redis:
 * a dead endpoint, a database outage and a Redis outage in the middle of deliveries.
 */
describe('delivery under faults, with real processes', () => {
  let stack: PrivateStack;
  let receiver: AssociationReceiver;
  let client: TestApp;
  const codes: Record<string, string> = {};
  const sharingDead: string[] = [];
  let counter = 0;

  beforeAll(async () => {
    [stack, receiver] = await Promise.all([
      startPrivateStack({
        ...FAST_PIPELINE,
        QUEUE_PREFIX: 'faults',
        LOG_LEVEL: 'info',
        DELIVERY_RETRY_SCHEDULE: '0,200ms,400ms,600ms,800ms,1s,1s,1s',
        DELIVERY_TIMEOUT_MS: '5000',
        // No worker dies here: a generous lock keeps a loaded machine from declaring jobs stalled.
        WORKER_LOCK_MS: '15000',
      }),
      startAssociationReceiver(),
    ]);
    client = stack.client;
    const associations = await expectOk(client.request('GET', '/api/v1/associations?limit=200'));
    const covering = associations.items.filter((item: any) => item.memberMunicipalityCodes.length > 0);
    const endpoints: Record<string, { url: string; secret: string }> = {};
    for (const [index, association] of covering.slice(0, RECIPIENTS).entries()) {
      const name = `r${index}`;
      endpoints[name] = receiver.addReceiver(name);
      await setEndpoint(client, association.id, endpoints[name]);
      codes[name] = association.memberMunicipalityCodes[0];
    }
    for (const association of covering.slice(RECIPIENTS, RECIPIENTS + SHARING_DEAD)) {
      await setEndpoint(client, association.id, endpoints[DEAD]);
      sharingDead.push(association.memberMunicipalityCodes[0]);
    }
    stack.startWorker();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.destroy(), receiver?.close()]);
  });

  /** Areas with finished work, not yet finished themselves, covering these receivers' municipalities. */
  const areasFor = (names: string[], count: number, also: string[] = []): Promise<string[]> =>
    Promise.all(
      Array.from({ length: count }, () =>
        finishedWork(client, `Område ${++counter}`, [...names.map((name) => codes[name]), ...also]),
      ),
    );

  async function finish(areaIds: string[]): Promise<void> {
    for (const areaId of areaIds) await expectOk(client.request('POST', `/api/v1/areas/${areaId}/finish`));
  }

  const everyone = () => Object.keys(codes);

  const handovers = (areaIds: string[]): Promise<{ id: string; status: string; delivery_id: string }[]> =>
    stack.database.query(`SELECT id, status, delivery_id FROM handover WHERE area_id = ANY($1)`, [areaIds]);

  /** Waits until no handover of these areas is READY any more, then expects every one DELIVERED. */
  async function allDelivered(areaIds: string[], expected: number, timeoutMs = 60_000) {
    const rows = await waitFor(
      async () => {
        const all = await handovers(areaIds);
        return all.length === expected && all.every((row) => row.status !== 'READY') && all;
      },
      { what: `${expected} handovers settled`, timeoutMs, intervalMs: 200 },
    );
    expect(rows.filter((row) => row.status !== 'DELIVERED')).toEqual([]);
    return rows;
  }

  /** Median time from a delivery job's arrival in Redis (its outbox message relayed) to the handover delivered. */
  async function medianLatencyMs(areaIds: string[], names: string[]): Promise<number> {
    const urls = names.map((name) => `${receiver.url}/receivers/${name}`);
    const rows: { ms: number }[] = await stack.database.query(
      `SELECT extract(epoch FROM h.delivered_at - m.relayed_at) * 1000 AS ms
         FROM handover h
         JOIN coordination_association a ON a.id = h.association_id
         JOIN outbox_message m ON m.job_id = 'deliver-handover.' || h.id || '.0'
        WHERE h.area_id = ANY($1) AND a.endpoint_url = ANY($2) AND h.status = 'DELIVERED'`,
      [areaIds, urls],
    );
    const sorted = rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  it('keeps the other recipients as fast as before while one endpoint hangs until the timeout', async () => {
    const healthy = everyone().filter((name) => name !== DEAD);
    const baseline = await areasFor(everyone(), 2);
    await finish(baseline);
    await allDelivered(baseline, 2 * RECIPIENTS);
    const healthyMedian = await medianLatencyMs(baseline, healthy);

    receiver.setFailure(DEAD, { hang: true });
    const [backlog] = await areasFor([DEAD], 1, sharingDead);
    const measured = await areasFor(everyone(), 2);
    const hung = receiver.requestCount(DEAD);
    await finish([backlog]);
    await waitFor(() => receiver.requestCount(DEAD) >= hung + 2, { what: 'pushes hanging at the dead endpoint' });
    await finish(measured);
    await waitFor(
      async () => {
        const rows = await handovers(measured);
        return rows.filter((row) => row.status === 'DELIVERED').length === 2 * healthy.length;
      },
      { what: 'the healthy recipients’ handovers delivered', timeoutMs: 60_000, intervalMs: 100 },
    );
    const withDeadMedian = await medianLatencyMs(measured, healthy);
    // Twice the healthy figure, with a little room for a loaded machine.
    expect(withDeadMedian).toBeLessThanOrEqual(2 * healthyMedian + 500);

    receiver.setFailure(DEAD, null);
    await allDelivered([backlog, ...measured], 1 + SHARING_DEAD + 2 * RECIPIENTS);
  });

  it('counts no delivery attempt against a database outage and records a 2xx once the database is back', async () => {
    for (const name of everyone()) {
      receiver.failFirstTry(name, { status: 500 });
      receiver.setDelay(name, 300);
    }
    const areaIds = await areasFor(everyone(), 2);
    const before = receiver.requestCount();
    await finish(areaIds);
    await waitFor(() => receiver.requestCount() >= before + 6, { what: 'deliveries under way' });
    await stack.postgres.kill();
    await new Promise((resolve) => setTimeout(resolve, DATABASE_OUTAGE_MS)); // the outage itself
    await stack.postgres.start();

    const rows = await allDelivered(areaIds, 2 * RECIPIENTS);
    const attempts: { handover_id: string; attempt_number: number; outcome: string; http_status: number }[] =
      await stack.database.query(
        `SELECT handover_id, attempt_number, outcome, http_status FROM delivery_attempt
          WHERE handover_id = ANY($1) ORDER BY handover_id, attempt_number`,
        [rows.map((row) => row.id)],
      );
    for (const row of rows) {
      expect(attempts.filter((attempt) => attempt.handover_id === row.id).map((attempt) => attempt.outcome)).toEqual([
        'RETRY',
        'DELIVERED',
      ]);
    }
    // A 2xx answered while the database was down was recorded, not thrown away and pushed again.
    expect(receiver.duplicateCount()).toBe(0);
    for (const name of everyone()) {
      receiver.failFirstTry(name, null);
      receiver.setDelay(name, 0);
    }
  }, 120_000);

  it('takes up work within seconds of Redis coming back after an outage', async () => {
    const areaIds = await areasFor(everyone(), 1);
    await stack.redis.kill();
    await new Promise((resolve) => setTimeout(resolve, REDIS_OUTAGE_MS)); // the outage itself
    await stack.redis.start();
    const back = Date.now();
    await finish(areaIds);
    // Before the fix the workers' next reconnect came about 18 s after Redis was back.
    await allDelivered(areaIds, RECIPIENTS, 12_000);
    expect(Date.now() - back).toBeLessThan(12_000);
  }, 60_000);
});
