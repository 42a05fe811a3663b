import { Injectable } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { withTimeout } from '../core/with-timeout';

/** A figure read at scrape time (from Redis or the database), given a deadline so a scrape stays cheap. */
type Collector = () => Promise<void>;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LONG_SECONDS = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14_400];

/** How a delivery attempt ended, as delivery.service.ts classifies it. */
export type DeliveryVerdict = 'DELIVERED' | 'RETRY' | 'GONE' | 'FAILED';

export interface FinishedSyncRun {
  kind: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

const SYNC_COUNTS = ['fetched', 'inserted', 'updated', 'unchanged', 'failed'] as const;

/**
 * The process's Prometheus figures, in a registry of its own (not prom-client's global one), so
 * several apps in one test process never share counters. Features record through the typed
 * methods; scrape-time figures register a collector that runs before each scrape.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly collectors = new Map<string, Collector>();

  private readonly httpDuration = this.histogram(
    'http_request_duration_seconds',
    'HTTP requests by method, route template and status',
    ['method', 'route', 'status'],
  );
  private readonly jobs = this.counter(
    'kur_jobs_total',
    'Jobs run by this worker, by queue, job name and outcome (completed, retried, failed)',
    ['queue', 'name', 'outcome'],
  );
  private readonly jobDuration = this.histogram(
    'kur_job_duration_seconds',
    'Time a job ran, by queue, job name and outcome',
    ['queue', 'name', 'outcome'],
    [...SECONDS, 30, 60, 300, 1800],
  );
  private readonly deliveryAttempts = this.counter(
    'kur_delivery_attempts_total',
    'Pushes to recipients by outcome class (2xx, retryable, permanent, gone, timeout, network)',
    ['class'],
  );
  private readonly deliveryLatency = this.histogram(
    'kur_delivery_attempt_duration_seconds',
    'Time a push to a recipient took, by outcome class',
    ['class'],
  );
  private readonly syncRuns = this.counter('kur_sync_runs_total', 'Sync runs ended, by kind and status', [
    'kind',
    'status',
  ]);
  private readonly syncDuration = this.histogram(
    'kur_sync_run_duration_seconds',
    'Time from start to end of a sync run, by kind and status',
    ['kind', 'status'],
    LONG_SECONDS,
  );
  private readonly syncRows = this.counter(
    'kur_sync_rows_total',
    'Rows handled by ended sync runs, by kind and count (fetched, inserted, updated, unchanged, failed)',
    ['kind', 'count'],
  );
  private readonly collectorUp = new Gauge({
    name: 'kur_metrics_collector_up',
    help: '1 when the scrape-time collector answered within its deadline, 0 when it failed (its figures are left out)',
    labelNames: ['collector'],
    registers: [this.registry],
  });

  constructor(private readonly config: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Counts a worker's finished jobs from its events, so handlers stay free of instrumentation. */
  watchJobs(worker: Worker): void {
    worker.on('completed', (job) => this.jobEnded(worker.name, job, 'completed'));
    // A failure with attempts left has no finishedOn yet: BullMQ will run it again.
    worker.on('failed', (job) => job && this.jobEnded(worker.name, job, job.finishedOn ? 'failed' : 'retried'));
  }

  deliveryAttempt(verdict: DeliveryVerdict, errorClass: string | null, latencyMs: number): void {
    const outcomeClass = deliveryClass(verdict, errorClass);
    this.deliveryAttempts.inc({ class: outcomeClass });
    this.deliveryLatency.observe({ class: outcomeClass }, latencyMs / 1000);
  }

  syncRunEnded(run: FinishedSyncRun): void {
    const labels = { kind: run.kind, status: run.status };
    this.syncRuns.inc(labels);
    if (run.startedAt && run.finishedAt) {
      this.syncDuration.observe(labels, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000);
    }
    for (const count of SYNC_COUNTS) this.syncRows.inc({ kind: run.kind, count }, run[count]);
  }

  /** Registers a figure read at scrape time; `reset` drops its stale values when it fails. */
  addCollector(name: string, collect: Collector, reset: () => void): void {
    this.collectors.set(name, async () => {
      try {
        await withTimeout(collect(), this.config.METRICS_COLLECT_TIMEOUT_MS);
        this.collectorUp.set({ collector: name }, 1);
      } catch {
        reset();
        this.collectorUp.set({ collector: name }, 0);
      }
    });
  }

  /** Everything in Prometheus text format, scrape-time figures read now. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await Promise.all([...this.collectors.values()].map((collect) => collect()));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram(name: string, help: string, labelNames: string[], buckets = SECONDS): Histogram {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A job's run ended; JobWorkers also reports a run that asked to run again later (RetryLater) as retried. */
  jobEnded(queue: string, job: Job, outcome: 'completed' | 'retried' | 'failed'): void {
    const labels = { queue, name: job.name, outcome };
    this.jobs.inc(labels);
    if (job.processedOn) this.jobDuration.observe(labels, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
  }
}

function deliveryClass(verdict: DeliveryVerdict, errorClass: string | null): string {
  if (verdict === 'DELIVERED') return '2xx';
  if (verdict === 'GONE') return 'gone';
  if (verdict === 'FAILED') return 'permanent';
  if (!errorClass) return 'retryable';
  return errorClass === 'TIMEOUT' ? 'timeout' : 'network';
}
