import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { databaseOptions } from '../../config/database';
import { Role } from '../../src/auth/principal';
import { signDevelopmentToken } from '../../src/auth/token.service';
import { loadReferenceWorld } from '../fakes/reference-world';
import { createDatabase } from './databases';
import { JWT_SECRET, testConfig } from './environment';
import { PrivatePostgres, PrivateRedis, freePort, startPrivatePostgres, startPrivateRedis } from './private-services';
import { ServiceProcess, spawnService, waitForApi } from './processes';
import { TestApp, request } from './test-app';

/**
 * The built API process and its workers on private PostgreSQL and Redis instances (migrated, with
 * the reference world), for tests that kill processes or take the databases away.
 */
export interface PrivateStack {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  config: AppConfig;
  api: ServiceProcess;
  /** Requests to the API process, as an administrator unless told otherwise. */
  client: TestApp;
  /** A direct connection to the stack's database, for reading what the processes wrote. */
  database: DataSource;
  workers: ServiceProcess[];
  startWorker(): ServiceProcess;
  /** Starts a worker unless one is running. */
  ensureWorker(): void;
  destroy(): Promise<void>;
}

export async function startPrivateStack(overrides: Partial<Record<keyof AppConfig, string>>): Promise<PrivateStack> {
  const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  await createDatabase('kur', undefined, postgres.url);
  const config = testConfig({
    DATABASE_URL: postgres.databaseUrl('kur'),
    REDIS_URL: redis.url,
    PORT: String(await freePort()),
    ...overrides,
  });
  const migrator = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();
  await migrator.runMigrations({ transaction: 'each' });
  await migrator.destroy();
  await loadReferenceWorld(config);
  const database = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();

  const api = spawnService('main', config);
  const url = `http://127.0.0.1:${config.PORT}`;
  await waitForApi(url, api);
  const admin = await signDevelopmentToken(JWT_SECRET, { sub: 'private-stack-admin', role: Role.ADMIN });
  const client = {
    request: (method: string, path: string, options: Record<string, unknown> = {}) =>
      request(url, method, path, {
        ...options,
        token: options.token === undefined ? admin : (options.token as string),
      }),
  } as unknown as TestApp;

  const workers: ServiceProcess[] = [];
  const startWorker = () => {
    const worker = spawnService('worker', config);
    workers.push(worker);
    return worker;
  };
  return {
    postgres,
    redis,
    config,
    api,
    client,
    database,
    workers,
    startWorker,
    ensureWorker: () => {
      if (!workers.some((worker) => worker.child.exitCode === null && worker.child.signalCode === null)) startWorker();
    },
    destroy: async () => {
      await Promise.all([api, ...workers].map((service) => service.kill('SIGKILL')));
      await database.destroy();
      await Promise.all([postgres.destroy(), redis.destroy()]);
    },
  };
}
