import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { packageRoot } from '../../src/core/data-files';
import { admin } from '../support/databases';
import { REDIS_URL } from '../support/environment';
import { waitFor } from '../support/wait';

interface DemoRun {
  child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

/** Two `npm run demo` at once on one machine: each has its own database, queues and port, and leaves nothing behind. */
describe('the demo', () => {
  const runs: DemoRun[] = [];
  afterAll(() => runs.forEach((run) => run.child.kill('SIGKILL')));

  const startDemo = (...args: string[]): DemoRun => {
    const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'scripts', 'demo.js'), ...args], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const run = {
      child,
      output: () => output,
      exit: new Promise<number | null>((resolve) => child.once('exit', resolve)),
    };
    runs.push(run);
    return run;
  };
  const runNameOf = (run: DemoRun) => /Created this run's database (\S+)/.exec(run.output())?.[1];

  it('runs twice at once, and each run removes its database and queues when it ends or is interrupted', async () => {
    const plain = startDemo();
    const serving = startDemo('--serve');

    expect({ code: await plain.exit, output: plain.output() }).toEqual({
      code: 0,
      output: expect.stringContaining('Received by the coordination associations'),
    });
    await waitFor(() => serving.output().includes('Serving until Ctrl-C'), {
      what: 'the serving demo to finish its run',
      timeoutMs: 120_000,
    });
    // The web app is served where the demo says, with its scripts.
    const web = /The web app: (http:\/\/\S+)\//.exec(serving.output())?.[1];
    expect(web).toBeDefined();
    const page = await fetch(`${web}/inkorg`);
    expect(page.status).toBe(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect((await fetch(`${web}${script}`)).status).toBe(200);
    serving.child.kill('SIGINT');
    expect({ code: await serving.exit, output: serving.output() }).toMatchObject({ code: 130 });

    const names = [runNameOf(plain), runNameOf(serving)];
    expect(names).toEqual([expect.stringMatching(/^demo_/), expect.stringMatching(/^demo_/)]);
    expect(names[0]).not.toBe(names[1]);
    const databases = await admin((client) =>
      client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]),
    );
    expect(databases.rows).toEqual([]);
    const redis = new Redis(REDIS_URL);
    try {
      for (const name of names) expect(await redis.keys(`${name}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
