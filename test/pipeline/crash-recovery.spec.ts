import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { PrivateStack, startPrivateStack } from '../support/private-stack';
import { ServiceProcess } from '../support/processes';
import { FAST_PIPELINE, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, finishedWork, setEndpoint } from './kur-fixtures';

/**
 * Real processes against private PostgreSQL and Redis: the API and workers are the built entry
 * points; workers are SIGKILLed and the databases restarted mid-delivery. Nothing may be lost
 * and no webhook-id may be recorded twice.
 */
describe('crash recovery with real processes', () => {
  let stack: PrivateStack;
  let receiver: AssociationReceiver;
  let client: TestApp;
  let workers: ServiceProcess[];
  const secret = { value: '' };

  beforeAll(async () => {
    [stack, receiver] = await Promise.all([
      startPrivateStack({
        ...FAST_PIPELINE,
        QUEUE_PREFIX: 'crash',
        LOG_LEVEL: 'trace',
        DELIVERY_RETRY_SCHEDULE: '0,200ms,400ms,800ms,1s,1s,2s,2s,3s,3s,5s,5s',
        DELIVERY_TIMEOUT_MS: '3000',
      }),
      startAssociationReceiver(),
    ]);
    ({ client, workers } = stack);
    const stockholm = await associationByMember(client, '0180');
    const endpoint = receiver.addReceiver('crash');
    secret.value = endpoint.secret;
    await setEndpoint(client, stockholm.id, endpoint);
    // Slow answers keep deliveries in flight when the process dies.
    receiver.setDelay('crash', 150);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.destroy(), receiver?.close()]);
  });

  const startWorker = () => stack.startWorker();
  const ensureWorker = () => stack.ensureWorker();

  async function finishAreas(prefix: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const areaId = await finishedWork(client, `${prefix} ${index}`, ['0180']);
      const finished = await client.request('POST', `/api/v1/areas/${areaId}/finish`);
      expect(finished.status).toBe(202);
      ids.push(areaId);
    }
    return ids;
  }

  const statuses = async (areaIds: string[]): Promise<{ status: string; delivery_id: string }[]> =>
    stack.database.query(`SELECT status, delivery_id FROM handover WHERE area_id = ANY($1)`, [areaIds]);

  async function expectAllDeliveredOnce(areaIds: string[]) {
    const rows = await waitFor(
      async () => {
        const all = await statuses(areaIds);
        return all.length === areaIds.length && all.every((row) => row.status === 'DELIVERED') && all;
      },
      { what: `${areaIds.length} handovers delivered`, timeoutMs: 60_000, intervalMs: 200 },
    );
    const received = receiver.deliveries('crash').map((delivery) => delivery.webhookId);
    for (const row of rows) expect(received.filter((id) => id === row.delivery_id)).toHaveLength(1);
    expect(new Set(received).size).toBe(received.length);
  }

  it('loses nothing when a worker is SIGKILLed mid-delivery and another takes over', async () => {
    const areaIds = await finishAreas('Kill', 12);
    const first = startWorker();
    await waitFor(() => receiver.requestCount('crash') >= 2, { what: 'deliveries under way', timeoutMs: 30_000 });
    await first.kill('SIGKILL');
    expect((await statuses(areaIds)).filter((row) => row.status === 'DELIVERED').length).toBeLessThan(12);
    startWorker();
    await expectAllDeliveredOnce(areaIds);
  });

  it('loses nothing when PostgreSQL restarts during the run', async () => {
    ensureWorker();
    const areaIds = await finishAreas('Postgres', 8);
    const before = receiver.requestCount('crash');
    await waitFor(() => receiver.requestCount('crash') > before, {
      what: 'deliveries under way',
      timeoutMs: 30_000,
    });
    await stack.postgres.kill();
    await stack.postgres.start();
    await expectAllDeliveredOnce(areaIds);
  });

  it('loses nothing when Redis restarts empty during the run (the sweep puts the jobs back)', async () => {
    ensureWorker();
    // Attempts fail until Redis is gone, so the jobs wait in Redis for their retry when it loses them.
    receiver.setFailure('crash', { status: 500 });
    const before = receiver.requestCount('crash');
    const areaIds = await finishAreas('Redis', 8);
    await waitFor(() => receiver.requestCount('crash') >= before + 8, {
      what: 'failed first attempts',
      timeoutMs: 30_000,
    });
    const logged = workers.map((worker) => worker.output().length);
    await stack.redis.restart();
    receiver.setFailure('crash', null);
    await expectAllDeliveredOnce(areaIds);
    const since = workers.map((worker, index) => worker.output().slice(logged[index] ?? 0)).join('\n');
    expect(since).toContain('Handover sweep put back jobs that Redis had lost');
  });

  it('lets a worker told to stop (SIGTERM) finish the delivery it is making', async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
    receiver.setDelay('crash', 1000);
    const [areaId] = await finishAreas('Graceful', 1);
    const before = receiver.requestCount('crash');
    const worker = startWorker();
    await waitFor(() => receiver.requestCount('crash') > before, {
      what: 'the delivery in flight',
      timeoutMs: 30_000,
    });
    await worker.kill('SIGTERM');
    // Nest runs the shutdown hooks (workers close after their active jobs), then re-raises the signal.
    expect(worker.child.signalCode).toBe('SIGTERM');
    expect((await statuses([areaId])).map((row) => row.status)).toEqual(['DELIVERED']);
    receiver.setDelay('crash', 150);
  });

  it('never shows or logs an endpoint signing secret', async () => {
    const base64 = secret.value.replace(/^whsec_/, '');
    const logs = [stack.api, ...workers].map((service) => service.output()).join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(base64);
    const responses = await Promise.all(
      ['/api/v1/associations?limit=200', '/api/v1/handovers?limit=200', '/api/v1/audit-events?limit=200'].map((path) =>
        client.request('GET', path),
      ),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(base64);
    }
  });
});
