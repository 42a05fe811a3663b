import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type Redis from 'ioredis';
import { Client } from 'pg';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';

/**
 * What every bench shares: smoke mode (BENCH_SMOKE=1: tiny sizes, so a jest test keeps the
 * scripts from rotting), rounds that alternate the project and its baseline, the spread of a
 * figure over rounds and the load average the machine was under.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';
/** Five by default: on a shared 2-core machine single rounds swing by a fifth, and a median of three follows them. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 3 : 5));

export const loadAverage = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** Runs each side once per round, in turn, so both meet the same machine. */
export async function alternate<S extends Record<string, () => Promise<unknown>>>(
  sides: S,
  rounds = ROUNDS,
): Promise<{ [K in keyof S]: Awaited<ReturnType<S[K]>>[] }> {
  const results = Object.fromEntries(Object.keys(sides).map((name) => [name, [] as unknown[]]));
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(sides)) results[name].push(await sides[name]());
  }
  return results as { [K in keyof S]: Awaited<ReturnType<S[K]>>[] };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** "median (min-max)" of one figure over the rounds. */
export function spread(values: number[], digits = 0): string {
  const f = (value: number) => value.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}-${f(Math.max(...values))})`;
}

/**
 * A migrated database with the reference world, as the test harness makes it, so benches can
 * start the real app with test/support/test-app (startTestApp clones it). Under jest the run's
 * template exists already.
 */
export async function withTemplate<T>(work: () => Promise<T>): Promise<T> {
  if (process.env.KUR_TEST_TEMPLATE) return work();
  await globalSetup();
  try {
    return await work();
  } finally {
    await globalTeardown();
  }
}

/** The response, or an error with its status and body when it is not a success. */
export async function ok<T extends { status: number; body: any }>(response: Promise<T>): Promise<T> {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * CPU time so far of each PostgreSQL backend connected to this database, or only of those of one
 * application_name, by process id (PostgreSQL on this machine: /proc); undefined when they cannot
 * be read. `cpuSince` turns two of them into the time spent in between.
 */
export async function databaseCpu(client: Client, applicationName?: string): Promise<Map<number, number> | undefined> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND ($1::text IS NULL OR application_name = $1)`,
    [applicationName ?? null],
  );
  const times = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      times.set(pid, processCpuMs(pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined; // PostgreSQL elsewhere
    }
  }
  return times;
}

/** CPU ms the backends spent between two readings (those that ended meanwhile are not counted); NaN when unreadable. */
export function cpuSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number {
  if (!before || !after) return NaN;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** CPU ms Redis has spent so far, by its own account (INFO cpu, main process and its threads). */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000;
}

/** User and system CPU time so far of a process on this machine (/proc), in ms. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const tick = 1000 / 100; // USER_HZ
  return (Number(fields[11]) + Number(fields[12])) * tick;
}
