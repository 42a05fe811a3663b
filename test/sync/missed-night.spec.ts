import { referenceAssociations } from '../fakes/reference-registry';
import { FinsamRegistry, startFinsamRegistry } from '../fakes/finsam-registry';
import { ServiceProcess, spawnService } from '../support/processes';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/**
 * A night's sync that no worker ran (none was up at the time) runs when a worker starts, once
 * however many start together. The schedules are set so that their last firing lies in the past
 * (1 January, 02:00): configuration moves the clock, nothing waits for a night.
 */
describe('a missed nightly sync', () => {
  let api: TestApp;
  let registry: FinsamRegistry;
  const workers: ServiceProcess[] = [];
  const YEARLY = '0 0 2 1 1 *';

  beforeAll(async () => {
    registry = await startFinsamRegistry({ associations: referenceAssociations() });
    api = await startTestApp({ REGISTRY_URL: registry.url });
    // The registry sync has run on schedule before (so the schedule is in use), but not on the last night.
    await api.dataSource.query(
      `INSERT INTO sync_run (kind, trigger, status, schedule_key, started_at, finished_at)
       VALUES ('REGISTRY', 'SCHEDULE', 'SUCCEEDED', 'REGISTRY:2000-01-01', '2000-01-01T01:00:00Z', '2000-01-01T01:01:00Z')`,
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
    await api.close();
    await registry.close();
  });

  function startWorkers(count: number): ServiceProcess[] {
    const config = Object.assign(Object.create(Object.getPrototypeOf(api.config)), api.config, {
      LOG_LEVEL: 'debug',
      SYNC_REGISTRY_CRON: YEARLY,
      SYNC_PRIO_CRON: YEARLY,
      SYNC_SWEEP_CRON: YEARLY,
    });
    const started = Array.from({ length: count }, () => spawnService('worker', config));
    workers.push(...started);
    return started;
  }

  const checked = (started: ServiceProcess[]) =>
    waitFor(() => started.every((worker) => worker.output().includes('Missed nightly syncs checked')), {
      what: 'every worker to check for missed nights',
      timeoutMs: 30_000,
    });

  const scheduledRuns = (): Promise<{ kind: string; schedule_key: string; status: string }[]> =>
    api.dataSource.query(
      `SELECT kind, schedule_key, status FROM sync_run WHERE trigger = 'SCHEDULE' ORDER BY schedule_key`,
    );

  it('runs the last night once when two workers start together, and not again on the next start', async () => {
    const pair = startWorkers(2);
    await checked(pair);
    const lastNight = `REGISTRY:${new Date().getFullYear()}-01-01`;
    const runs = await waitFor(
      async () => {
        const all = await scheduledRuns();
        return all.find((run) => run.schedule_key === lastNight)?.status === 'SUCCEEDED' && all;
      },
      { what: 'the missed registry run to succeed', timeoutMs: 30_000 },
    );
    // PRIO and the sweep never ran on schedule here: a fresh installation has no night to catch up.
    expect(runs.map((run) => run.schedule_key)).toEqual(['REGISTRY:2000-01-01', lastNight]);
    await Promise.all(pair.map((worker) => worker.kill('SIGTERM')));

    const again = startWorkers(1);
    await checked(again);
    expect((await scheduledRuns()).map((run) => run.schedule_key)).toEqual(['REGISTRY:2000-01-01', lastNight]);
  });
});
