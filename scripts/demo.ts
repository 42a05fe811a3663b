import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { databaseOptions } from '../config/database';
import { Role } from '../src/auth/principal';
import { signDevelopmentToken, signingOptionsFor } from '../src/auth/token.service';
import { createCliContext } from '../src/cli/cli.module';
import { runEntryPoint } from '../src/core/entry-point';
import { ApiModule } from '../src/api.module';
import { createHttpApp } from '../src/http-app';
import { startAssociationReceiver } from '../test/fakes/association-receiver';
import { grantDemoCoordinator, printSignIn, startDemoSignIn } from './demo-sign-in';
import { client, completeWork, finishAreas, followSync, printHandovers, waitForHandovers } from './demo-kur2-end';
import { Kur2ImportService } from '../src/kur2-import/kur2-import.service';
import { MunicipalitiesService } from '../src/municipalities/municipalities.service';
import { readReferenceData } from '../src/municipalities/reference-data';
import { startFinsamRegistry } from '../test/fakes/finsam-registry';
import { startPrioFeed } from '../test/fakes/prio-feed';
import { referenceAssociations } from '../test/fakes/reference-registry';

/**
 * `npm run demo`: fake partners, a fresh demo database, the reference data and the KUR 2 areas,
 * the API and a worker on PORT (default 3000), the nightly syncs with progress bars, then the end
 * of KUR 2 handed over; `-- --serve` keeps serving afterwards.
 */
const serve = process.argv.includes('--serve');
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kur_demo',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'kur-demo',
  AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? randomBytes(32).toString('hex'),
  SECRETS_KEY: process.env.SECRETS_KEY ?? randomBytes(32).toString('base64'),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  PORT: process.env.PORT ?? '3000',
  HOST: process.env.HOST ?? '127.0.0.1',
  // Small pages, so the progress bars have something to show.
  REGISTRY_PAGE_SIZE: process.env.REGISTRY_PAGE_SIZE ?? '10',
  PRIO_PAGE_SIZE: process.env.PRIO_PAGE_SIZE ?? '200',
  OUTBOX_POLL_MS: process.env.OUTBOX_POLL_MS ?? '100',
};

runEntryPoint(async () => {
  // The partners, faked over real HTTP: association systems, the Finsam registry, the PRIO feed.
  const receiver = await startAssociationReceiver();
  const registry = await startFinsamRegistry({
    associations: referenceAssociations().map((association) => ({
      ...association,
      endpoint: receiver.addReceiver(association.externalId),
    })),
  });
  const prio = await startPrioFeed({ municipalityCodes: readReferenceData().municipalities.map((row) => row.code) });
  const signIn = await startDemoSignIn(env.HOST, Number(env.PORT));
  const config = loadConfig({ ...env, ...signIn.settings, REGISTRY_URL: registry.url, PRIO_FEED_URL: prio.url });
  step(
    `Fake partners: association systems ${receiver.url}, Finsam registry ${registry.url}, PRIO feed ${prio.url} (synthetic data)`,
  );

  step(`Recreating the demo database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);
  await recreateDatabase(config.DATABASE_URL);
  const dataSource = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  step(`Applied ${applied.length} migrations`);

  const cli = await createCliContext(config);
  const reference = await cli.get(MunicipalitiesService).loadReferenceData();
  step(`Loaded ${reference.counties} counties and ${reference.municipalities} municipalities`);
  const first = await cli.get(Kur2ImportService).load();
  const second = await cli.get(Kur2ImportService).load();
  step(
    `Loaded ${first.areas} KUR 2 areas with ${first.activities} activities; loading again changed ${second.changedAreas + second.changedActivities} rows`,
  );
  await cli.close();

  const app = await createHttpApp(config, ApiModule.forRoot(config, { worker: true }));
  const url = await listen(app, config.PORT, config.HOST);
  const token = await signDevelopmentToken(
    config.AUTH_JWT_SECRET as string,
    { sub: 'demo-admin', role: Role.ADMIN },
    signingOptionsFor(config),
  );
  const api = client(url, token);
  step(`API and worker at ${url}/api/v1, docs at ${url}/docs, queues at ${url}/admin/queues`);
  printSummary(await api.all('/api/v1/areas'), await api.all('/api/v1/activities'));

  console.log('\nThe nightly syncs, started by hand:');
  await followSync(api, 'REGISTRY');
  await followSync(api, 'PRIO');

  console.log('\nThe end of KUR 2:');
  await completeWork(api);
  await finishAreas(api);
  const handovers = await waitForHandovers(api);
  const municipalities = new Map((await api.all('/api/v1/municipalities')).map((row) => [row.code, row.name]));
  const associations = await api.all('/api/v1/associations');
  printHandovers(
    handovers,
    associations,
    receiver,
    await api.all('/api/v1/resolution-cases?status=OPEN'),
    municipalities,
  );

  if (serve) {
    printSignIn(url, signIn, await grantDemoCoordinator(api));
    console.log(`\nServing until Ctrl-C. An admin token for trying the API:\n${token}`);
    return;
  }
  await app.close();
  await Promise.all([receiver.close(), registry.close(), prio.close(), signIn.provider.close()]);
});

function step(message: string): void {
  console.log(`• ${message}`);
}

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
}

async function listen(app: Awaited<ReturnType<typeof createHttpApp>>, port: number, host: string): Promise<string> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    step(`Port ${port} is taken; using a free one`);
    await app.listen({ port: 0, host });
  }
  return `http://${host}:${(app.getHttpServer().address() as { port: number }).port}`;
}

function printSummary(areas: { kurRegion: string }[], activities: { type: string }[]): void {
  console.log(`\nKUR 2 areas per KUR region (${areas.length} in all):`);
  for (const [region, count] of countBy(areas, (area) => area.kurRegion))
    console.log(`  ${region.padEnd(10)} ${count}`);
  console.log(`Activities per type (${activities.length} in all):`);
  for (const [type, count] of countBy(activities, (activity) => activity.type))
    console.log(`  ${type.padEnd(21)} ${count}`);
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}
