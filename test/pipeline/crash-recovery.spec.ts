import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { databaseOptions } from '../../config/database';
import { Role } from '../../src/auth/principal';
import { signDevelopmentToken } from '../../src/auth/token.service';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { loadReferenceWorld } from '../fakes/reference-world';
import { createDatabase } from '../support/databases';
import { JWT_SECRET, testConfig } from '../support/environment';
import {
  PrivatePostgres,
  PrivateRedis,
  freePort,
  startPrivatePostgres,
  startPrivateRedis,
} from '../support/private-services';
import { ServiceProcess, spawnService, waitForApi } from '../support/processes';
import { FAST_PIPELINE, TestApp, request } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, finishedWork, setEndpoint } from './kur-fixtures';

/**
 * Real processes against private PostgreSQL and Redis: the API and workers are the built entry
 * points; workers are SIGKILLed and the databases restarted mid-delivery. Nothing may be lost
 * and no webhook-id may be recorded twice.
 */
describe('crash recovery with real processes', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let receiver: AssociationReceiver;
  let config: AppConfig;
  let api: ServiceProcess;
  let client: TestApp;
  let database: DataSource;
  const workers: ServiceProcess[] = [];
  const secret = { value: '' };

  beforeAll(async () => {
    [postgres, redis, receiver] = await Promise.all([
      startPrivatePostgres(),
      startPrivateRedis(),
      startAssociationReceiver(),
    ]);
    await createDatabase('kur', undefined, postgres.url);
    config = testConfig({
      ...FAST_PIPELINE,
      DATABASE_URL: postgres.databaseUrl('kur'),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'crash',
      PORT: String(await freePort()),
      LOG_LEVEL: 'trace',
      DELIVERY_RETRY_SCHEDULE: '0,200ms,400ms,800ms,1s,1s,2s,2s,3s,3s,5s,5s',
      DELIVERY_TIMEOUT_MS: '3000',
    });
    const migrator = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();
    await migrator.runMigrations({ transaction: 'each' });
    await migrator.destroy();
    await loadReferenceWorld(config);
    database = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();

    api = spawnService('main', config);
    const url = `http://127.0.0.1:${config.PORT}`;
    await waitForApi(url, api);
    const admin = await signDevelopmentToken(JWT_SECRET, { sub: 'crash-admin', role: Role.ADMIN });
    client = {
      request: (method: string, path: string, options: Record<string, unknown> = {}) =>
        request(url, method, path, {
          ...options,
          token: options.token === undefined ? admin : (options.token as string),
        }),
    } as unknown as TestApp;
    const stockholm = await associationByMember(client, '0180');
    const endpoint = receiver.addReceiver('crash');
    secret.value = endpoint.secret;
    await setEndpoint(client, stockholm.id, endpoint);
    // Slow answers keep deliveries in flight when the process dies.
    receiver.setDelay('crash', 150);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api, ...workers].map((service) => service?.kill('SIGKILL')));
    await database?.destroy();
    await Promise.all([postgres?.destroy(), redis?.destroy(), receiver?.close()]);
  });

  const startWorker = () => {
    const worker = spawnService('worker', config);
    workers.push(worker);
    return worker;
  };

  const ensureWorker = () => {
    if (!workers.some((worker) => worker.child.exitCode === null && worker.child.signalCode === null)) startWorker();
  };

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
    database.query(`SELECT status, delivery_id FROM handover WHERE area_id = ANY($1)`, [areaIds]);

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
    await postgres.kill();
    await postgres.start();
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
    await redis.restart();
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
    const logs = [api, ...workers].map((service) => service.output()).join('\n');
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
