import { referenceAssociations } from '../fakes/reference-registry';
import { readReferenceData } from '../../src/municipalities/reference-data';
import { FinsamRegistry, startFinsamRegistry } from '../fakes/finsam-registry';
import { PrioFeed, startPrioFeed } from '../fakes/prio-feed';
import { expectOk } from '../pipeline/kur-fixtures';
import { ServiceProcess, spawnService } from '../support/processes';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { feedRows, finished, storedRows } from './prio-fixtures';

/** Real worker processes against this file's database: schedules across instances, and a worker killed mid-sync. */
describe('sync with real worker processes', () => {
  let api: TestApp;
  let feed: PrioFeed;
  let registry: FinsamRegistry;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    feed = await startPrioFeed({ municipalityCodes: readReferenceData().municipalities.map((row) => row.code) });
    registry = await startFinsamRegistry({ associations: referenceAssociations() });
    api = await startTestApp({ PRIO_FEED_URL: feed.url, REGISTRY_URL: registry.url, PRIO_PAGE_SIZE: '100' });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
    await api.close();
    await Promise.all([feed.close(), registry.close()]);
  });

  const startWorker = (overrides: Record<string, string> = {}) => {
    const config = Object.assign(Object.create(Object.getPrototypeOf(api.config)), api.config, {
      LOG_LEVEL: 'debug',
      ...overrides,
    });
    const worker = spawnService('worker', config);
    workers.push(worker);
    return worker;
  };

  it('runs each nightly sync once although two workers fire their crons at the same moments', async () => {
    const everySecond = {
      SYNC_REGISTRY_CRON: '* * * * * *',
      SYNC_PRIO_CRON: '* * * * * *',
      SYNC_SWEEP_CRON: '* * * * * *',
    };
    const pair = [startWorker(everySecond), startWorker(everySecond)];
    // Both instances fire every second; wait until each has fired every kind at least three times.
    await waitFor(
      () =>
        pair.every((worker) =>
          ['REGISTRY', 'PRIO', 'HANDOVER_SWEEP'].every(
            (kind) => count(worker.output(), `"kind":"${kind}","msg":"Nightly sync fired"`) >= 3,
          ),
        ),
      { what: 'both workers to fire every schedule three times', timeoutMs: 30_000 },
    );
    const scheduled = async () =>
      (await expectOk(api.request('GET', '/api/v1/sync-runs?limit=200'))).items.filter(
        (run: { trigger: string }) => run.trigger === 'SCHEDULE',
      );
    // The pair finishes the runs before it stops: under load they can still be queued after three firings.
    for (const run of await scheduled()) expect((await finished(api, run.id)).status).toBe('SUCCEEDED');
    await Promise.all(pair.map((worker) => worker.kill('SIGTERM')));
    const runs = await scheduled();
    expect(runs.map((run: { kind: string; trigger: string }) => `${run.kind}/${run.trigger}`).sort()).toEqual([
      'HANDOVER_SWEEP/SCHEDULE',
      'PRIO/SCHEDULE',
      'REGISTRY/SCHEDULE',
    ]);
  }, 120_000);

  it('stores exactly the feed when a worker is killed mid-run and another finishes it', async () => {
    feed.updateRows(feed.expectedRows().map((row) => ({ municipalityCode: row.municipalityCode, year: row.year })));
    feed.setPageDelay(100);
    const first = startWorker({ WORKER_LOCK_MS: '2000' });
    const started = await expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind: 'PRIO' } }));
    await waitFor(
      async () => (await expectOk(api.request('GET', `/api/v1/sync-runs/${started.id}`))).progress.pagesDone >= 3,
      {
        what: 'the run under way',
        timeoutMs: 30_000,
      },
    );
    await first.kill('SIGKILL');
    feed.setPageDelay(0);
    startWorker({ WORKER_LOCK_MS: '2000' });
    const run = await finished(api, started.id, 60_000);
    expect(run.status).toBe('SUCCEEDED');
    const stored = await storedRows(api.dataSource);
    expect(stored).toHaveLength(1450);
    expect(stored).toEqual(feedRows(feed.expectedRows()));
  });
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
