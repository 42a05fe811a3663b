import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { Client } from 'pg';
import { tuneGarbageCollector } from '../src/core/garbage-collection';
import { classifyPush, describePush, pushSigned } from '../src/core/webhooks/signed-push';
import { redisConnection } from '../src/core/redis';
import { RETENTION } from '../src/queue/job-catalogue';
import { AssociationReceiver, startAssociationReceiver } from '../test/fakes/association-receiver';
import { uniqueName } from '../test/support/environment';
import { DeliveryWorld, finishAreas, prepareDeliveryWorld, seedGrantedAreas } from '../test/support/finished-areas';
import { SqlCounter, countStatements } from '../test/support/sql-counter';
import { TestApp, deleteQueueKeys, startTestApp } from '../test/support/test-app';
import { waitFor } from '../test/support/wait';
import {
  ROUNDS,
  SMOKE,
  alternate,
  cpuSince,
  databaseCpu,
  loadAverage,
  median,
  redisCpuMs,
  runBench,
  spread,
  withTemplate,
} from './support';

/**
 * bench/delivery-throughput: handovers delivered per second from finished areas by one worker
 * (API and worker in one process, as in finish-to-push; production poll interval and lock time).
 * A round seeds AREAS granted areas with real work (activities, an agreed plan, PRIO rows), each
 * covering members of three associations, finishes them all in one transaction and times from its
 * COMMIT (the areas finished) until every handover is DELIVERED in the database: outbox, relay,
 * routing and delivery jobs, each push signed to the fake receiver (one path per association). The
 * rate counting the bench's own finish transaction too (a new connection and three statements for
 * all areas, standing in for the API's finishes) is printed beside it. The baseline is raw BullMQ: a Queue and a
 * Worker with the same concurrency, each job the same signed POST (the same packages, standardwebhooks,
 * axios) to the same receiver, timed from addBulk to the last completed job. Rounds alternate.
 * The SQL statements the app sent in a round (START TRANSACTION and COMMIT included) are counted
 * where TypeORM sends them, and divided by the handovers delivered; one more round, untimed, tells
 * who sent them. CPU per handover is read for this process (both sides), the app's PostgreSQL
 * backends (project) and Redis (both sides).
 *   npm run bench:delivery        BENCH_SMOKE=1 for a quick check, BENCH_AREAS=n to size a round,
 *   BENCH_WARM_UP_ROUNDS (default 1) unmeasured rounds of each side first
 */
const AREAS = Number(process.env.BENCH_AREAS ?? (SMOKE ? 3 : 200));
const PER_AREA = 3;
const WARM_UP_ROUNDS = Number(process.env.BENCH_WARM_UP_ROUNDS ?? (SMOKE ? 0 : 1));
const DEADLINE_MS = SMOKE ? 60_000 : 600_000;

interface RoundResult {
  handovers: number;
  seconds: number;
  /** From before the bench's finish transaction began (project) */
  secondsWithFinish?: number;
  /** Until the last handover was created (project) */
  routedSeconds?: number;
  /** Handovers delivered per second once the last was routed, delivery alone (project) */
  afterRoutingRate?: number;
  /** CPU time of this process (worker, receiver and bench) during the round. */
  cpuMs: number;
  /** CPU time of the PostgreSQL backends serving the app's database during the round (project). */
  databaseCpuMs?: number;
  /** CPU time of Redis during the round. */
  redisCpuMs: number;
  statements: number;
  bySender: Record<string, number>;
}

interface BarePush {
  webhookId: string;
  target: { url: string; secret: string };
  data: unknown;
}

async function main(): Promise<void> {
  // The collector as the worker process runs it (src/worker.ts); both sides share this process.
  tuneGarbageCollector();
  await withTemplate(async () => {
    const api = await startTestApp(
      {
        OUTBOX_POLL_MS: '500',
        SWEEP_INTERVAL_MS: '300000',
        WORKER_LOCK_MS: '30000',
        DELIVERY_TIMEOUT_MS: '10000',
        DELIVERY_RETRY_SCHEDULE: '0,5s,5m',
        // The defaults unless the run asks for others (the baseline follows the delivery concurrency).
        ...(process.env.DELIVERY_WORKER_CONCURRENCY
          ? { DELIVERY_WORKER_CONCURRENCY: process.env.DELIVERY_WORKER_CONCURRENCY }
          : {}),
        ...(process.env.ROUTING_WORKER_CONCURRENCY
          ? { ROUTING_WORKER_CONCURRENCY: process.env.ROUTING_WORKER_CONCURRENCY }
          : {}),
      },
      { worker: true },
    );
    const receiver = await startAssociationReceiver();
    const redis = new Redis(api.config.REDIS_URL);
    let counter = countStatements(api.app, { bySender: false });
    try {
      const world = await prepareDeliveryWorld(api, receiver);
      const concurrency = api.config.DELIVERY_WORKER_CONCURRENCY;
      console.log(
        `delivery throughput: ${AREAS} areas (${AREAS * PER_AREA} handovers) a round, ${WARM_UP_ROUNDS} round(s) of warm-up, then ${ROUNDS} rounds, ` +
          `concurrency delivery ${concurrency} (both sides), routing ${api.config.ROUTING_WORKER_CONCURRENCY}; ` +
          `load average at start ${loadAverage()}`,
      );
      let lastPackages: BarePush[] = [];
      const sides = {
        project: async () => {
          const round = await projectRound(world, receiver, redis, counter);
          lastPackages = await packagesOf(api, world, round.areaIds);
          return round;
        },
        bare: () => bareRound(api, receiver, redis, lastPackages, concurrency),
      };
      await alternate(sides, WARM_UP_ROUNDS); // unmeasured: both sides measured at steady state, their JIT warm
      const results = await alternate(sides);
      const rate = (round: RoundResult) => round.handovers / round.seconds;
      const projectRates = results.project.map(rate);
      const bareRates = results.bare.map(rate);
      const cpuPer = (round: RoundResult) => round.cpuMs / round.handovers;
      const redisPer = (rounds: RoundResult[]) =>
        spread(
          rounds.map((round) => round.redisCpuMs / round.handovers),
          2,
        );
      console.log(
        `project  handovers/s ${spread(projectRates)} (median (min-max)); CPU ms per handover in this process ` +
          `${spread(results.project.map(cpuPer), 2)}, in PostgreSQL ` +
          `${spread(
            results.project.map((round) => (round.databaseCpuMs ?? NaN) / round.handovers),
            2,
          )}, in Redis ${redisPer(results.project)}; all routed after ${spread(
            results.project.map((round) => round.routedSeconds ?? 0),
            2,
          )} s ` +
          `of ${spread(
            results.project.map((round) => round.seconds),
            2,
          )} s`,
      );
      const withFinish = results.project.map((round) => round.handovers / (round.secondsWithFinish ?? NaN));
      console.log(`  counting the bench's finish transaction too: handovers/s ${spread(withFinish)}`);
      // Routing shares the process and the database with delivery: how fast delivery goes without it.
      const afterRouting = results.project.map((round) => round.afterRoutingRate ?? NaN);
      console.log(
        `  delivered once the last handover was routed (delivery alone): handovers/s ${spread(afterRouting)}`,
      );
      console.log(
        `bare     handovers/s ${spread(bareRates)} (median (min-max)); CPU ms per handover in this process ` +
          `${spread(results.bare.map(cpuPer), 2)}, in Redis ${redisPer(results.bare)}`,
      );
      const ratios = projectRates.map((value, index) => value / bareRates[index]);
      console.log(
        `ratio project/bare ${(median(projectRates) / median(bareRates)).toFixed(2)}x; per round ${spread(ratios, 2)}; target at least 0.5x`,
      );
      const perHandover = results.project.map((round) => round.statements / round.handovers);
      console.log(
        `SQL statements per delivered handover ${spread(perHandover, 2)} (median (min-max)); target at most 6`,
      );
      // Who sent them, from one more (untimed) round: attributing them slows the process.
      counter.stop();
      counter = countStatements(api.app);
      console.log(`  by sender: ${describeSenders(await projectRound(world, receiver, redis, counter))}`);
      console.log(`load average at end ${loadAverage()}`);
    } finally {
      counter.stop();
      redis.disconnect();
      await api.close();
      await receiver.close();
    }
  });
}

async function projectRound(
  world: DeliveryWorld,
  receiver: AssociationReceiver,
  redis: Redis,
  counter: SqlCounter,
): Promise<RoundResult & { areaIds: string[] }> {
  const seeded = await seedGrantedAreas(world, AREAS, PER_AREA);
  const watch = new Client({ connectionString: world.api.config.DATABASE_URL, application_name: 'kur-bench-watch' });
  await watch.connect();
  try {
    counter.reset();
    const profiling = await startProfile('project');
    const cpuBefore = process.cpuUsage();
    const databaseBefore = await databaseCpu(watch);
    const redisBefore = await redisCpuMs(redis);
    const pushedBefore = receiver.deliveries().length;
    const finishing = Date.now();
    const started = await finishAreas(world, seeded.areaIds);
    // Counted in this process first, as the baseline counts, so that the database is asked only
    // at the end and its polling does not load the machine during the round.
    await waitFor(() => receiver.deliveries().length - pushedBefore >= seeded.handovers, {
      what: `${seeded.handovers} pushes received`,
      timeoutMs: DEADLINE_MS,
      intervalMs: 20,
    });
    const lastDelivered = await waitFor(
      async () => {
        const { rows } = await watch.query<{ delivered: number; last: Date | null }>(
          `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered, max(delivered_at) AS last
             FROM handover WHERE area_id = ANY($1)`,
          [seeded.areaIds],
        );
        return rows[0].delivered >= seeded.handovers && (rows[0].last as Date);
      },
      { what: `${seeded.handovers} handovers DELIVERED`, timeoutMs: DEADLINE_MS, intervalMs: 20 },
    );
    // The worker has nothing left to do once all are delivered; what it sent so far is the round's cost.
    const bySender = counter.bySender();
    const cpu = process.cpuUsage(cpuBefore);
    const databaseCpuMs = cpuSince(databaseBefore, await databaseCpu(watch));
    const redisCpu = (await redisCpuMs(redis)) - redisBefore;
    await profiling?.();
    const { rows } = await watch.query<{ routed: Date; after: number }>(
      `SELECT routed, (SELECT count(*)::int FROM handover WHERE area_id = ANY($1) AND delivered_at > routed) AS after
         FROM (SELECT max(created_at) AS routed FROM handover WHERE area_id = ANY($1)) AS last`,
      [seeded.areaIds],
    );
    return {
      routedSeconds: (rows[0].routed.getTime() - started) / 1000,
      afterRoutingRate: rows[0].after / ((lastDelivered.getTime() - rows[0].routed.getTime()) / 1000),
      cpuMs: (cpu.user + cpu.system) / 1000,
      databaseCpuMs,
      redisCpuMs: redisCpu,
      areaIds: seeded.areaIds,
      handovers: seeded.handovers,
      seconds: (lastDelivered.getTime() - started) / 1000,
      secondsWithFinish: (lastDelivered.getTime() - finishing) / 1000,
      statements: counter.total(),
      bySender,
    };
  } finally {
    await watch.end();
  }
}

/** The packages the project just delivered, each to be pushed again by the baseline under a new webhook-id. */
async function packagesOf(api: TestApp, world: DeliveryWorld, areaIds: string[]): Promise<BarePush[]> {
  const rows: { association_id: string; package: unknown }[] = await api.dataSource.query(
    `SELECT association_id, package FROM handover WHERE area_id = ANY($1)`,
    [areaIds],
  );
  const targets = new Map(world.associations.map((association) => [association.id, association.endpoint]));
  return rows.map((row) => ({
    webhookId: `msg_${randomUUID()}`,
    target: targets.get(row.association_id) as { url: string; secret: string },
    data: row.package,
  }));
}

/** Raw BullMQ: the same pushes as jobs, a worker with the same concurrency and lock time. */
async function bareRound(
  api: TestApp,
  receiver: AssociationReceiver,
  redis: Redis,
  pushes: BarePush[],
  concurrency: number,
): Promise<RoundResult> {
  const prefix = uniqueName('kurbare');
  const connection = redisConnection(api.config.REDIS_URL);
  const queue = new Queue<BarePush>('bare-delivery', { connection, prefix });
  let completed = 0;
  let lastCompleted = 0;
  const failures: string[] = [];
  const worker = new Worker<BarePush>(
    'bare-delivery',
    async (job) => {
      const { webhookId, target, data } = job.data;
      const outcome = await pushSigned({ webhookId, type: 'kur.handover.created', data }, target, 10_000);
      if (classifyPush(outcome) !== 'DELIVERED') throw new Error(describePush(outcome));
    },
    { connection, prefix, concurrency, lockDuration: 30_000 },
  );
  worker.on('completed', () => {
    completed++;
    lastCompleted = Date.now();
  });
  worker.on('failed', (_job, error) => failures.push(error.message));
  try {
    await worker.waitUntilReady();
    const before = receiver.deliveries().length;
    const profiling = await startProfile('bare');
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    const redisBefore = await redisCpuMs(redis);
    await queue.addBulk(
      pushes.map((push) => ({ name: 'push', data: push, opts: { jobId: push.webhookId, ...RETENTION } })),
    );
    await waitFor(() => completed >= pushes.length || failures.length > 0, {
      what: `${pushes.length} bare pushes`,
      timeoutMs: DEADLINE_MS,
      intervalMs: 20,
    });
    if (failures.length) throw new Error(`bare pushes failed: ${failures.slice(0, 3).join(', ')}`);
    if (receiver.deliveries().length - before !== pushes.length) throw new Error('the receiver missed bare pushes');
    const cpu = process.cpuUsage(cpuBefore);
    const redisCpu = (await redisCpuMs(redis)) - redisBefore;
    await profiling?.();
    return {
      handovers: pushes.length,
      redisCpuMs: redisCpu,
      seconds: (lastCompleted - started) / 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      statements: 0,
      bySender: {},
    };
  } finally {
    await worker.close();
    await queue.close();
    await deleteQueueKeys(prefix, api.config.REDIS_URL);
  }
}

/** BENCH_PROFILE=dir: a CPU profile of each round (project: from finishing to the last delivery) into dir. */
async function startProfile(side: 'project' | 'bare'): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${side}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

/** Statements per area for routing, per handover for the rest. */
function describeSenders(round: RoundResult): string {
  const areas = round.handovers / PER_AREA;
  return Object.entries(round.bySender)
    .sort(([, a], [, b]) => b - a)
    .map(([sender, count]) =>
      sender === 'route-area'
        ? `${sender} ${(count / areas).toFixed(1)}/area`
        : `${sender} ${(count / round.handovers).toFixed(2)}/handover`,
    )
    .join(', ');
}

runBench(main);
