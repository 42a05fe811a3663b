import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { stopProcess } from './processes';
import { waitFor } from './wait';

/**
 * Private PostgreSQL and Redis instances on free ports, for tests that restart them. Never the
 * machine's shared ones. PostgreSQL runs as the postgres user when we are root (it refuses root).
 */
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function postgresBin(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    const version = readdirSync('/usr/lib/postgresql').sort().pop();
    return `/usr/lib/postgresql/${version}/bin`;
  }
}

const asRoot = process.getuid?.() === 0;
const postgresUser = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
const postgresGroup = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));

function spawnAsPostgres(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: postgresUser(), gid: postgresGroup() } : {}),
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export interface PrivatePostgres {
  port: number;
  url: string;
  databaseUrl(name: string): string;
  kill(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'kur-pg-'));
  if (asRoot) chownSync(dir, postgresUser(), postgresGroup());
  const data = join(dir, 'data');
  const port = await freePort();
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], {
    stdio: 'ignore',
    ...(asRoot ? { uid: postgresUser(), gid: postgresGroup() } : {}),
  });
  let server: ChildProcess | undefined;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    server = spawnAsPostgres(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      // fsync off is safe here (the OS does not crash); commits stay synchronous so a killed server keeps them.
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
    ]);
    await waitFor(
      async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.end();
        return true;
      },
      { what: `private PostgreSQL on ${port}`, timeoutMs: 30_000, intervalMs: 100 },
    );
  };
  const stop = (signal: NodeJS.Signals) => stopProcess(server, signal);
  await start();
  return {
    port,
    url,
    databaseUrl: (name) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    kill: () => stop('SIGKILL').then(() => removeStalePid(data)),
    start,
    restart: async () => {
      await stop('SIGINT');
      await start();
    },
    destroy: async () => {
      await stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** After SIGKILL the postmaster leaves its pid file; the next start recovers from the WAL. */
function removeStalePid(data: string): void {
  rmSync(join(data, 'postmaster.pid'), { force: true });
}

export interface PrivateRedis {
  port: number;
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

/** Redis without persistence, like the machine's: a restart empties it, as a lost Redis would. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kur-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    children.add(child);
    child.on('exit', () => children.delete(child));
    server = child;
    await waitFor(
      async () => {
        // disconnectTimeout 0: as the readiness probe's (src/health/redis.health.ts), nothing to flush.
        const client = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          disconnectTimeout: 0,
        });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      },
      { what: `private Redis on ${port}`, timeoutMs: 15_000, intervalMs: 50 },
    );
  };
  const stop = (signal: NodeJS.Signals) => stopProcess(server, signal);
  await start();
  return {
    port,
    url,
    kill: () => stop('SIGKILL'),
    start,
    restart: async () => {
      await stop('SIGTERM');
      await start();
    },
    destroy: async () => {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
