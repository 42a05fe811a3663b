import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../config/app-config';
import { databaseOptions } from '../config/database';
import { createCliContext } from '../src/cli/cli.module';
import { MunicipalitiesService } from '../src/municipalities/municipalities.service';
import { readReferenceData } from '../src/municipalities/reference-data';
import { SyncRun } from '../src/sync/sync-run.entity';
import { SyncKind, SyncStatus } from '../src/sync/sync-run.enums';
import { SyncRunsService } from '../src/sync/sync-runs.service';
import { startPrioFeed, synthesise } from '../test/fakes/prio-feed';
import { spawnService } from '../test/support/processes';
import { ROUNDS, SMOKE, alternate, loadAverage, runBench, spread } from './support';
import { deleteQueueKeys } from '../test/support/test-app';

/**
 * bench/prio-sync: the PRIO sync (a real worker process reading the fake feed) against PostgreSQL
 * COPY of the same rows into the same table, at 100 000 and 1 000 000 rows. Prints rows per
 * second for both, their ratio, and the worker's memory: peak resident set (VmHWM) and the largest
 * live heap it reported after a page. Sync and COPY alternate, ROUNDS times each per size.
 *   npm run bench:prio-sync            (both sizes)
 *   npm run bench:prio-sync -- 200000  (chosen sizes)     BENCH_SMOKE=1 for a quick check
 */
const WORKER_HEAP_FLAG = '--max-old-space-size=192';
const SIZES = process.argv.slice(2).map(Number).filter(Boolean);
const BASE = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = `kur_bench_${randomBytes(3).toString('hex')}`;

async function main(): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL ?? `${BASE}/${DATABASE}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `kur-bench-${randomBytes(3).toString('hex')}`,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    // The worker logs its memory after every page at debug level; the bench reads those lines.
    LOG_LEVEL: 'debug',
    OUTBOX_POLL_MS: '50',
    METRICS_PORT: '0', // never in the way of a worker already running here
    PRIO_PAGE_SIZE: process.env.PRIO_PAGE_SIZE ?? (SMOKE ? '500' : '10000'),
  });
  await recreate(config.DATABASE_URL);
  const dataSource = await new DataSource(databaseOptions(config.DATABASE_URL)).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const cli = await createCliContext(config);
  await cli.get(MunicipalitiesService).loadReferenceData();
  const codes = readReferenceData()
    .municipalities.map((row) => row.code)
    .sort();
  console.log(
    `PRIO sync benchmark on ${cpus().length} cores; page size ${config.PRIO_PAGE_SIZE}; ${ROUNDS} alternating rounds; ` +
      `load average at start ${loadAverage()}\n`,
  );

  const results = [];
  for (const size of SIZES.length ? SIZES : SMOKE ? [2000] : [100_000, 1_000_000]) {
    const years = Math.ceil(size / codes.length);
    const rows = years * codes.length;
    const rounds = await alternate({
      sync: async () => {
        // A fresh start each time: no rows, and no watermark from an earlier run.
        await dataSource.query('TRUNCATE prio_inventory, sync_run, outbox_message');
        const sync = await timeSync(config, cli, dataSource, codes, years);
        if (sync.stored !== rows) throw new Error(`the sync stored ${sync.stored} rows of ${rows}`);
        return { perSecond: rows / sync.seconds, ...sync };
      },
      copy: async () => {
        await dataSource.query('TRUNCATE prio_inventory');
        const seconds = await timeCopy(config.DATABASE_URL, codes, years);
        const copied = Number((await dataSource.query('SELECT count(*) AS n FROM prio_inventory'))[0].n);
        if (copied !== rows) throw new Error(`COPY stored ${copied} rows of ${rows}`);
        return { perSecond: rows / seconds };
      },
    });
    const ratios = rounds.sync.map((sync, round) => sync.perSecond / rounds.copy[round].perSecond);
    const result = {
      rows,
      sync: spread(rounds.sync.map((run) => run.perSecond)),
      copy: spread(rounds.copy.map((run) => run.perSecond)),
      ratio: spread(ratios, 2),
      peakMiB: Math.max(...rounds.sync.map((run) => run.peakMiB)),
      idleMiB: Math.max(...rounds.sync.map((run) => run.idleMiB)),
      heapMiB: Math.max(...rounds.sync.map((run) => run.heapMiB)),
    };
    results.push(result);
    console.log(
      `${rows.toLocaleString('en').padStart(10)} rows: sync ${result.sync} rows/s, COPY ${result.copy} rows/s, ` +
        `sync/COPY ${result.ratio}, worker peak RSS ${result.peakMiB.toFixed(0)} MiB (idle ${result.idleMiB.toFixed(0)} MiB), ` +
        `peak live heap ${result.heapMiB} MiB`,
    );
  }
  console.log('\nmedian (min-max) over the rounds');
  console.log(
    'rows        sync rows/s              COPY rows/s              sync/COPY          peak RSS MiB  peak heap MiB',
  );
  for (const result of results) {
    console.log(
      `${String(result.rows).padEnd(11)} ${result.sync.padEnd(24)} ${result.copy.padEnd(24)} ${result.ratio.padEnd(18)} ${result.peakMiB.toFixed(0).padStart(12)}  ${String(result.heapMiB).padStart(13)}`,
    );
  }
  console.log(`load average at end ${loadAverage()}`);
  await cli.close();
  await dataSource.destroy();
  await recreate(config.DATABASE_URL, false);
  await deleteQueueKeys(config.QUEUE_PREFIX, config.REDIS_URL);
}

/** One PRIO run carried out by a real worker process; timed from the run's own start and end. */
async function timeSync(
  config: ReturnType<typeof loadConfig>,
  cli: Awaited<ReturnType<typeof createCliContext>>,
  dataSource: DataSource,
  codes: string[],
  years: number,
) {
  const feed = await startPrioFeed({ municipalityCodes: codes, years });
  // The worker runs as `npm run start:worker` runs it in production: with a capped old space, so the
  // collector keeps memory flat instead of letting the heap grow lazily (WORKER_NODE_ARGS overrides).
  const nodeArgs = (process.env.WORKER_NODE_ARGS ?? WORKER_HEAP_FLAG).split(' ').filter(Boolean);
  const worker = spawnService(
    'worker',
    Object.assign(Object.create(Object.getPrototypeOf(config) as object) as AppConfig, config, {
      PRIO_FEED_URL: feed.url,
    }),
    nodeArgs,
  );
  try {
    const idleMiB = await settledRss(worker.child.pid as number);
    const run = await cli.get(SyncRunsService).requestNow(SyncKind.PRIO, 'system:bench');
    let done: SyncRun;
    for (;;) {
      done = await dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
      if (done.status === SyncStatus.SUCCEEDED || done.status === SyncStatus.FAILED) break;
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (done.status !== SyncStatus.SUCCEEDED) throw new Error(`sync failed: ${done.error}`);
    const peakMiB = memoryOf(worker.child.pid as number, 'VmHWM');
    const heapMiB = Math.max(...[...worker.output().matchAll(/"heapMiB":(\d+)/g)].map((match) => Number(match[1])));
    const stored = await prioRows(dataSource);
    const seconds = ((done.finishedAt as Date).getTime() - (done.startedAt as Date).getTime()) / 1000;
    return { seconds, peakMiB, heapMiB, idleMiB, stored };
  } finally {
    await worker.kill('SIGKILL');
    await feed.close();
  }
}

/** The baseline: the same rows, generated the same way, streamed through COPY into the same table. */
async function timeCopy(url: string, codes: string[], years: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = process.hrtime.bigint();
  function* lines() {
    const now = new Date().toISOString();
    let batch = '';
    for (let index = 0; index < codes.length * years; index++) {
      const row = synthesise(codes[Math.floor(index / years)], 2012 + (index % years), 1, now);
      batch += `${row.municipalityCode}\t${row.year}\t${row.inventoriedPersons}\t${row.unmetHousingNeeds}\t${row.unmetOccupationNeeds}\t${row.analysisDate}\t${row.employmentStrategyAgreed}\t${row.revision}\t${row.updatedAt}\t${now}\n`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  const copy = client.query(
    copyFrom(
      `COPY prio_inventory (municipality_code, year, inventoried_persons, unmet_housing_needs, unmet_occupation_needs,
        analysis_date, employment_strategy_agreed, source_revision, source_updated_at, synced_at) FROM STDIN`,
    ),
  );
  await pipeline(Readable.from(lines()), copy);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.end();
  return seconds;
}

async function prioRows(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM prio_inventory');
  return Number(row.n);
}

/** Resident memory of a process from /proc, in MiB (VmRSS now, VmHWM the peak). */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The worker's resident memory once it has started and settled. */
async function settledRss(pid: number): Promise<number> {
  let previous = 0;
  for (let tries = 0; tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = memoryOf(pid, 'VmRSS');
    if (now > 50 && Math.abs(now - previous) < 0.5) return now;
    previous = now;
  }
  return previous;
}

async function recreate(url: string, create = true): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (create) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

runBench(main);
