import { AppConfig } from '../../config/app-config';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { associationByMember, expectOk, finishedWork, handoversOf, setEndpoint } from '../pipeline/kur-fixtures';
import { PrivateRedis, freePort, startPrivateRedis } from '../support/private-services';
import { ServiceProcess, spawnService } from '../support/processes';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const METRICS_TOKEN = 'metrics-scraper-token-for-tests';

/** One scrape: `name{labels}` → value, plus the raw text for presence checks. */
interface Scrape {
  text: string;
  value(name: string, labels?: Record<string, string>): number;
}

function parse(text: string): Scrape {
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
  return {
    text,
    // Sums every sample of the name whose labels include the given ones (0 when there is none).
    value: (name, labels = {}) =>
      samples
        .filter((sample) => sample.name === name)
        .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
        .reduce((sum, sample) => sum + sample.value, 0),
  };
}

/**
 * Acceptance 3 of issue 9: /metrics on the API (bearer METRICS_TOKEN) and on a real worker process
 * (its own unauthenticated port), scraped before and after a handover is delivered end to end.
 */
describe('metrics on the API and a worker', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let worker: ServiceProcess;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    receiver = await startAssociationReceiver();
    api = await startTestApp({ METRICS_TOKEN });
    const port = await freePort();
    const config: AppConfig = Object.assign(Object.create(Object.getPrototypeOf(api.config)), api.config, {
      METRICS_PORT: port,
      METRICS_HOST: '127.0.0.1',
    });
    worker = spawnService('worker', config);
    workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    const stockholm = await associationByMember(api, '0180');
    await setEndpoint(api, stockholm.id, receiver.addReceiver('metrics'));
  });

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await api?.close();
    await receiver?.close();
  });

  const scrapeApi = async (): Promise<Scrape> => {
    const response = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await response.text());
  };

  const scrapeWorker = (): Promise<Scrape> =>
    waitFor(
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`the worker exited: ${worker.output().slice(-2000)}`);
        const response = await fetch(workerMetricsUrl);
        return response.status === 200 && parse(await response.text());
      },
      { what: `the worker's metrics at ${workerMetricsUrl}`, timeoutMs: 30_000, intervalMs: 100 },
    );

  it('asks the API scraper for the configured token', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('moves the figures when a handover is delivered end to end', async () => {
    const [apiBefore, workerBefore] = await Promise.all([scrapeApi(), scrapeWorker()]);
    const finishRoute = { route: '/api/v1/areas/:id/finish', method: 'POST', status: '202' };
    const deliveries = { queue: 'delivery', name: 'deliver-handover' };

    // 0180 is covered by Stockholms stad; 0123 Järfälla by no association, so it opens a resolution case.
    receiver.failNext('metrics', 1, { status: 500 });
    const areaId = await finishedWork(api, 'Metrik med partner', ['0180', '0123']);
    expect((await api.request('POST', `/api/v1/areas/${areaId}/finish`)).status).toBe(202);
    await waitFor(async () => (await handoversOf(api, areaId)).some((handover) => handover.status === 'DELIVERED'), {
      what: 'the handover delivered',
    });
    const sweep = await expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind: 'HANDOVER_SWEEP' } }));
    await waitFor(
      async () => (await expectOk(api.request('GET', `/api/v1/sync-runs/${sweep.id}`))).status === 'SUCCEEDED',
      { what: 'the sweep run' },
    );
    // The job counters move when the worker has recorded the finished job, just after its database write.
    const workerAfter = await waitFor(
      async () => {
        const scrape = await scrapeWorker();
        return scrape.value('kur_sync_runs_total', { kind: 'HANDOVER_SWEEP', status: 'SUCCEEDED' }) >= 1 &&
          scrape.value('kur_jobs_total', { ...deliveries, outcome: 'completed' }) >= 1 &&
          scrape.value('kur_jobs_total', { queue: 'sync', name: 'run-sync', outcome: 'completed' }) >= 1
          ? scrape
          : undefined;
      },
      { what: 'the worker to count the finished jobs' },
    );
    const apiAfter = await scrapeApi();

    // HTTP: by route template and status, never by raw URL.
    const finishCount = (scrape: Scrape) => scrape.value('http_request_duration_seconds_count', finishRoute);
    expect(finishCount(apiAfter)).toBe(finishCount(apiBefore) + 1);
    expect(apiAfter.text).not.toContain(areaId);
    const unmatched = (scrape: Scrape) => scrape.value('http_request_duration_seconds_count', { route: 'unmatched' });
    expect((await api.request('GET', `/api/v1/no-such-thing/${areaId}`)).status).toBe(404);
    const apiLast = await scrapeApi();
    expect(unmatched(apiLast)).toBe(unmatched(apiAfter) + 1);
    expect(apiLast.text).not.toContain(areaId);
    expect(
      apiAfter.value('http_request_duration_seconds_count', { route: '/api/v1/areas/:id', method: 'PATCH' }),
    ).toBeGreaterThan(0);

    // Jobs by name and outcome, with durations; the failed first push is a retry, not a failure.
    for (const name of ['route-area', 'deliver-handover']) {
      const jobs = { name, outcome: 'completed' };
      expect(workerAfter.value('kur_jobs_total', jobs)).toBeGreaterThan(workerBefore.value('kur_jobs_total', jobs));
      expect(workerAfter.value('kur_job_duration_seconds_count', jobs)).toBeGreaterThan(
        workerBefore.value('kur_job_duration_seconds_count', jobs),
      );
    }
    expect(workerAfter.value('kur_jobs_total', { ...deliveries, outcome: 'retried' })).toBe(1);
    expect(workerAfter.value('kur_jobs_total', { ...deliveries, outcome: 'failed' })).toBe(0);

    // Delivery attempts by outcome class.
    expect(workerAfter.value('kur_delivery_attempts_total', { class: 'retryable' })).toBe(1);
    expect(workerAfter.value('kur_delivery_attempts_total', { class: '2xx' })).toBe(1);

    // Sync runs by kind and status, with rows and duration.
    const sweepRun = { kind: 'HANDOVER_SWEEP', status: 'SUCCEEDED' };
    expect(workerAfter.value('kur_sync_run_duration_seconds_count', sweepRun)).toBe(1);
    expect(workerAfter.text).toMatch(/^kur_sync_rows_total\{kind="HANDOVER_SWEEP",count="fetched"\} \d+$/m);

    // Scrape-time state, on both: queues, the outbox and the open resolution case.
    for (const scrape of [apiAfter, workerAfter]) {
      for (const queue of ['routing', 'delivery', 'sync']) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(scrape.text).toMatch(new RegExp(`^kur_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+$`, 'm'));
        }
        expect(scrape.text).toMatch(new RegExp(`^kur_queue_oldest_waiting_age_seconds\\{queue="${queue}"\\} `, 'm'));
      }
      expect(scrape.text).toMatch(/^kur_outbox_waiting \d+$/m);
      expect(scrape.text).toMatch(/^kur_outbox_oldest_waiting_age_seconds \S+$/m);
      expect(scrape.value('kur_resolution_cases_open')).toBe(1);
      expect(scrape.value('kur_metrics_collector_up', { collector: 'queues' })).toBe(1);
      expect(scrape.text).toMatch(/^process_cpu_user_seconds_total /m);
    }
  });

  it('answers a scrape while Redis is down, leaving out the queue figures and saying so', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    const lonely = await startTestApp({ REDIS_URL: redis.url, METRICS_TOKEN, METRICS_COLLECT_TIMEOUT_MS: '200' });
    try {
      await redis.kill();
      const response = await fetch(`${lonely.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      const scrape = parse(await response.text());
      expect(scrape.value('kur_metrics_collector_up', { collector: 'queues' })).toBe(0);
      expect(scrape.text).not.toMatch(/^kur_queue_jobs\{/m);
      expect(scrape.value('kur_metrics_collector_up', { collector: 'outbox' })).toBe(1);
      expect(scrape.text).toMatch(/^kur_resolution_cases_open 0$/m);
    } finally {
      await redis.start();
      await lonely.close();
      await redis.destroy();
    }
  });
});
