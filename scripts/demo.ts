import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../config/app-config';
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
import { playYearAfter, printNationalReport } from './demo-year-after';
import { startMailServer } from '../test/fakes/mail-server';
import { Kur2ImportService } from '../src/kur2-import/kur2-import.service';
import { MunicipalitiesService } from '../src/municipalities/municipalities.service';
import { readReferenceData } from '../src/municipalities/reference-data';
import { startFinsamRegistry } from '../test/fakes/finsam-registry';
import { startPrioFeed } from '../test/fakes/prio-feed';
import { referenceAssociations } from '../test/fakes/reference-registry';
import { admin, createDatabase, dropDatabase } from '../test/support/databases';
import { uniqueName } from '../test/support/environment';
import { deleteQueueKeys } from '../test/support/test-app';

/**
 * `npm run demo`: fake partners, a database and queue prefix of this run's own, the reference data
 * and the KUR 2 areas, the API and a worker on PORT (default 3000, or a free port when it is taken),
 * the nightly syncs with progress bars, then the end of KUR 2 handed over; `-- --serve` keeps
 * serving until Ctrl-C. What the run created is removed when it ends, fails or is interrupted.
 */
const serve = process.argv.includes('--serve');
const runName = uniqueName('demo');
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/${runName}`,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? runName,
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

/** What this run set up, undone in reverse order when it ends, fails or is interrupted. */
const undo: (() => Promise<unknown>)[] = [];
let interrupted = false;

async function cleanUp(): Promise<void> {
  for (const step of undo.splice(0).reverse()) {
    await step().catch((error: unknown) => console.error(`Cleaning up: ${(error as Error).message}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.log(`\n${signal}: cleaning up (send it again to stop at once)`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

runEntryPoint(async () => {
  try {
    await demo();
  } catch (error) {
    if (interrupted) return; // the signal handler is cleaning up and ends the process
    await cleanUp();
    throw error;
  }
  if (!serve) await cleanUp();
});

async function demo(): Promise<void> {
  // The partners, faked over real HTTP: association systems, the Finsam registry, the PRIO feed.
  const receiver = await startAssociationReceiver();
  undo.push(() => receiver.close());
  const registry = await startFinsamRegistry({
    associations: referenceAssociations().map((association) => ({
      ...association,
      chief: association.chief ?? {
        name: `DEMODATA förbundschef i ${association.name}`,
        email: `forbundschef@${association.externalId}.example`,
      },
      endpoint: receiver.addReceiver(association.externalId),
    })),
  });
  undo.push(() => registry.close());
  const prio = await startPrioFeed({ municipalityCodes: readReferenceData().municipalities.map((row) => row.code) });
  undo.push(() => prio.close());
  const signIn = await startDemoSignIn(env.HOST, Number(env.PORT));
  undo.push(() => signIn.provider.close());
  const mail = await startMailServer();
  undo.push(() => mail.close());
  const partners = { ...signIn.settings, REGISTRY_URL: registry.url, PRIO_FEED_URL: prio.url, SMTP_URL: mail.url };
  const config = loadConfig({ ...env, ...partners });
  step(
    `Fake partners: association systems ${receiver.url}, Finsam registry ${registry.url}, PRIO feed ${prio.url} (synthetic data), mail server ${mail.url}`,
  );

  await prepareDatabase(config.DATABASE_URL, !process.env.DATABASE_URL);
  if (!process.env.QUEUE_PREFIX) undo.push(() => deleteQueueKeys(config.QUEUE_PREFIX, config.REDIS_URL));
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
  undo.push(() => app.close());
  const url = await listen(app, config, !process.env.PORT);
  const token = await signDevelopmentToken(
    config.AUTH_JWT_SECRET as string,
    { sub: 'demo-admin', role: Role.ADMIN },
    signingOptionsFor(config),
  );
  const api = client(url, token);
  step(
    `API and worker at ${url}/api/v1, docs at ${url}/docs, queues (prefix ${config.QUEUE_PREFIX}) at ${url}/admin/queues`,
  );
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

  console.log('\nA year after handover (the clock moved by configuration, CLOCK_NOW):');
  await playYearAfter({
    api,
    url,
    env: { ...env, ...partners },
    mail,
    chiefToken: (associationId) =>
      signDevelopmentToken(
        config.AUTH_JWT_SECRET as string,
        { sub: `demo-chief-${associationId}`, role: Role.ASSOCIATION_CHIEF, association: associationId },
        signingOptionsFor(config),
      ),
  });
  await printNationalReport(api);

  if (serve) {
    printSignIn(url, signIn, await grantDemoCoordinator(api));
    console.log(`\nServing until Ctrl-C. An admin token for trying the API:\n${token}`);
  }
}

function step(message: string): void {
  console.log(`• ${message}`);
}

/**
 * This run's own database, created now and dropped at the end; or the one DATABASE_URL names,
 * created when missing and never dropped, which must then be empty.
 */
async function prepareDatabase(url: string, own: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const exists = await admin(
    async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
    server.toString(),
  );
  if (!exists) await createDatabase(name, undefined, server.toString());
  if (own) undo.push(() => dropDatabase(name, server.toString()));
  const tables = await admin(
    async (client) =>
      Number((await client.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).rows[0].count),
    url,
  );
  if (tables > 0) {
    throw new Error(`The database ${name} (DATABASE_URL) is not empty; the demo needs a new or empty database`);
  }
  step(own ? `Created this run's database ${name} (dropped when the demo ends)` : `Using the database ${name} (kept)`);
}

/** Listens on the configured port or, when it is the default and taken, on a free one. */
async function listen(app: NestFastifyApplication, config: AppConfig, anyFreePort: boolean): Promise<string> {
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !anyFreePort) throw error;
    step(`Port ${config.PORT} is taken; using a free one`);
    await app.listen({ port: 0, host: config.HOST });
  }
  return `http://${config.HOST}:${(app.getHttpServer().address() as { port: number }).port}`;
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
