import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APPLICATION_NAME } from '../config/database';
import { Role } from '../src/auth/principal';
import { packageRoot } from '../src/core/data-files';
import { dropDatabase } from '../test/support/databases';
import { freePort } from '../test/support/private-services';
import { stopProcess } from '../test/support/processes';
import { TestApp, deleteQueueKeys, startTestApp } from '../test/support/test-app';
import { waitFor } from '../test/support/wait';
import { Client } from 'pg';
import {
  ROUNDS,
  SMOKE,
  alternate,
  cpuSince,
  databaseCpu,
  loadAverage,
  median,
  ok,
  processCpuMs,
  runBench,
  spread,
  withTemplate,
} from './support';

/**
 * bench/reads: the four hot read endpoints of the built API process (as `npm start` runs it, with
 * request logging at LOG_LEVEL, default info) against bench/reads-baseline (bare Fastify + pg, same
 * SQL, same JWT, same JSON), both on 127.0.0.1, loaded in turn by autocannon with the same token.
 * It first checks that both answer byte-identical bodies; per path it warms both up (unmeasured),
 * then alternates rounds and prints requests per second, p99 latency and CPU per request (server
 * and database) for both, their ratios and the spread over rounds.
 *   npm run bench:reads        BENCH_SMOKE=1 for a quick check; BENCH_SECONDS, BENCH_WARM_UP_SECONDS, BENCH_CONNECTIONS;
 *   BENCH_ONLY=text measures only the paths that contain it
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 1 : 5));
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? (SMOKE ? 1 : 10));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_ONLY ?? '';
const AREAS = SMOKE ? 3 : 60;
const FINISHED = SMOKE ? 2 : 55;
const DIST = join(packageRoot(), 'dist');

interface Figures {
  rps: number;
  p99: number;
  /** CPU ms per request of the server process and of its PostgreSQL backends. */
  serverCpu: number;
  databaseCpu: number;
}

/** A measured server: its process and the application_name its pool connects with. */
interface Server {
  port: number;
  pid: number;
  applicationName: string;
}

async function main(): Promise<void> {
  await withTemplate(async () => {
    const api = await startTestApp({}, { worker: true });
    const database = new URL(api.config.DATABASE_URL).pathname.slice(1);
    const token = await api.tokenFor(Role.ADMIN);
    const children: ChildProcess[] = [];
    const watch = new Client({ connectionString: api.config.DATABASE_URL });
    try {
      const { areaId, associationId } = await seed(api);
      await api.app.close(); // the seeded database stays; the measured processes serve it
      await watch.connect();
      const [projectPort, barePort] = [await freePort(), await freePort()];
      // BENCH_NODE_ARGS=--cpu-prof profiles both processes (the files are named by process id)
      const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
      children.push(
        await serve('src/main.js', projectPort, environment(api.config, { PORT: String(projectPort) }), nodeArgs),
        await serve('bench/reads-baseline.js', barePort, environment(api.config, { PORT: String(barePort) }), nodeArgs),
      );
      const [project, bare] = [
        { port: projectPort, pid: children[0].pid as number, applicationName: APPLICATION_NAME },
        { port: barePort, pid: children[1].pid as number, applicationName: 'bare-baseline' },
      ];
      const paths = [
        '/api/v1/areas?limit=50',
        `/api/v1/areas/${areaId}`,
        '/api/v1/handovers',
        `/api/v1/associations/${associationId}/handovers`,
      ].filter((path) => path.includes(ONLY));
      for (const path of paths) await assertSameBody(projectPort, barePort, path, token);
      if (nodeArgs.length) console.log(`process ids: project ${project.pid}, bare ${bare.pid}`);
      console.log(
        `reads: per path ${WARM_UP_SECONDS} s of warm-up for each, then ${ROUNDS} alternating rounds of ${SECONDS} s, ${CONNECTIONS} connections; load average at start ${loadAverage()}`,
      );
      for (const path of paths) {
        // Unmeasured load first: both processes measured at steady state, their JIT warm on this path.
        for (const server of [project, bare]) await load(server, path, token, watch, WARM_UP_SECONDS);
        const results = await alternate({
          project: () => load(project, path, token, watch),
          bare: () => load(bare, path, token, watch),
        });
        report(path, results);
      }
      console.log(`load average at end ${loadAverage()}; targets: rps ratio >= 0.8, p99 ratio <= 1.5`);
    } finally {
      await watch.end();
      for (const child of children) await stopProcess(child, 'SIGTERM');
      await dropDatabase(database);
      await deleteQueueKeys(api.config.QUEUE_PREFIX);
    }
  });
}

/** Areas, most of them finished and handed over to the association covering Stockholm, which pulls. */
async function seed(api: TestApp): Promise<{ areaId: string; associationId: string }> {
  const ids: string[] = [];
  for (let index = 0; index < AREAS; index++) {
    const created = await ok(
      api.request('POST', '/api/v1/areas', {
        body: {
          name: `Bänkområde ${String(index).padStart(3, '0')} med partner`,
          kurRegion: 'STOCKHOLM',
          kurPhase: 'KUR2',
          grantedSek: 100000,
          municipalityCodes: ['0180', '0182'],
          principals: [{ principal: 'FK', contactName: 'Kontakt', contactEmail: 'kontakt@example.org' }],
        },
      }),
    );
    ids.push(created.body.id);
    if (index >= FINISHED) continue;
    await ok(
      api.request('PATCH', `/api/v1/areas/${created.body.id}`, {
        body: { status: 'GRANTED' },
        headers: { 'if-match': created.headers.get('etag') as string },
      }),
    );
    await ok(api.request('POST', `/api/v1/areas/${created.body.id}/finish`));
  }
  const associations = await ok(api.request('GET', '/api/v1/associations?municipalityCode=0180'));
  const associationId = associations.body.items[0].id;
  await waitFor(
    async () => {
      const feed = await ok(api.request('GET', `/api/v1/associations/${associationId}/handovers?limit=200`));
      return feed.body.items.length >= FINISHED;
    },
    { what: 'every finished area in the feed', timeoutMs: 300_000, intervalMs: 500 },
  );
  return { areaId: ids[0], associationId };
}

function environment(config: AppConfig, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const values = Object.entries(config).filter(([, value]) => typeof value === 'string' || typeof value === 'number');
  return {
    PATH: process.env.PATH,
    ...Object.fromEntries(values.map(([key, value]) => [key, String(value)])),
    NODE_ENV: 'development', // production refuses the development secret the bench signs with
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    HOST: '127.0.0.1',
    ...overrides,
  };
}

/** A built script as its own process (its output discarded: a log line per request is part of the cost). */
async function serve(
  script: string,
  port: number,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, script)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/api/v1/areas/x`)).status > 0;
    },
    { what: `${script} on port ${port}`, timeoutMs: 60_000, intervalMs: 200 },
  );
  return child;
}

async function assertSameBody(projectPort: number, barePort: number, path: string, token: string): Promise<void> {
  const [project, bare] = await Promise.all(
    [projectPort, barePort].map(async (port) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 200) throw new Error(`${path} on port ${port}: HTTP ${response.status}`);
      return response.text();
    }),
  );
  if (project !== bare)
    throw new Error(`${path}: the bodies differ\nproject: ${project.slice(0, 600)}\nbare:    ${bare.slice(0, 600)}`);
}

async function load(server: Server, path: string, token: string, watch: Client, seconds = SECONDS): Promise<Figures> {
  const [serverBefore, databaseBefore] = [processCpuMs(server.pid), await databaseCpu(watch, server.applicationName)];
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${path}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${path} on port ${server.port}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const requests = result.requests.total;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    serverCpu: (processCpuMs(server.pid) - serverBefore) / requests,
    databaseCpu: cpuSince(databaseBefore, await databaseCpu(watch, server.applicationName)) / requests,
  };
}

function report(path: string, results: Record<'project' | 'bare', Figures[]>): void {
  const rps = (side: 'project' | 'bare') => results[side].map((figures) => figures.rps);
  const p99 = (side: 'project' | 'bare') => results[side].map((figures) => figures.p99);
  const rpsRatios = results.project.map((figures, round) => figures.rps / results.bare[round].rps);
  const p99Ratios = results.project.map((figures, round) => figures.p99 / Math.max(1, results.bare[round].p99));
  console.log(`\nGET ${path}   (median (min-max) over ${rpsRatios.length} rounds)`);
  console.log(
    `  req/s  project ${spread(rps('project'))}   bare ${spread(rps('bare'))}   ratio ${spread(rpsRatios, 2)}`,
  );
  console.log(
    `  p99 ms project ${spread(p99('project'))}   bare ${spread(p99('bare'))}   ratio ${spread(p99Ratios, 2)}`,
  );
  const cpu = (side: 'project' | 'bare', figure: 'serverCpu' | 'databaseCpu') =>
    results[side].map((figures) => figures[figure]);
  console.log(
    `  CPU ms/request  server: project ${spread(cpu('project', 'serverCpu'), 2)}   bare ${spread(cpu('bare', 'serverCpu'), 2)}` +
      `   database: project ${spread(cpu('project', 'databaseCpu'), 2)}   bare ${spread(cpu('bare', 'databaseCpu'), 2)}`,
  );
  console.log(
    `  ratio of medians: req/s ${(median(rps('project')) / median(rps('bare'))).toFixed(2)}, p99 ${(median(p99('project')) / Math.max(1, median(p99('bare')))).toFixed(2)}`,
  );
}

runBench(main);
