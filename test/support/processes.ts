import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { packageRoot } from '../../src/core/data-files';
import { waitFor } from './wait';

const DIST = join(packageRoot(), 'dist', 'src');

/** A real service process (the built API or worker), with everything it prints kept for inspection. */
export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnService(entry: 'main' | 'worker', config: AppConfig, nodeArgs: string[] = []): ServiceProcess {
  const script = join(DIST, `${entry}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build (npm test does)`);
  const env = Object.fromEntries(
    Object.entries(config)
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
      .map(([key, value]) => [key, String(value)]),
  );
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process.on('exit', () => child.kill('SIGKILL'));
  return {
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') => stopProcess(child, signal),
  };
}

/** Sends a signal and waits until the process has exited (at once if it already has). */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Waits until the API process answers its liveness probe. */
export async function waitForApi(url: string, service: ServiceProcess): Promise<void> {
  await waitFor(
    async () => {
      if (service.child.exitCode !== null) throw new Error(`the API exited: ${service.output().slice(-2000)}`);
      return (await fetch(`${url}/health/live`)).ok;
    },
    { what: `the API at ${url}`, timeoutMs: 30_000, intervalMs: 100 },
  );
}
