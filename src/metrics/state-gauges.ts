import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { OutboxService } from '../outbox/outbox.service';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { MetricsService } from './metrics.service';

export const METRIC_QUEUES = Symbol('METRIC_QUEUES');

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Figures about the whole service, read at scrape time: per queue one Redis round trip for the
 * counts and one for the oldest waiting job; the outbox and the resolution cases one indexed query
 * each, through the modules that own them. Every instance reports the same values.
 */
@Injectable()
export class StateGauges implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(METRIC_QUEUES) private readonly queues: Queue[],
    private readonly outbox: OutboxService,
    private readonly resolutions: ResolutionsService,
  ) {}

  onModuleInit(): void {
    const jobs = this.gauge('kur_queue_jobs', 'Jobs in each queue by state', ['queue', 'state']);
    const oldest = this.gauge(
      'kur_queue_oldest_waiting_age_seconds',
      'Seconds since the oldest waiting job became due (0 when none waits)',
      ['queue'],
    );
    this.metrics.addCollector(
      'queues',
      () => this.readQueues(jobs, oldest),
      () => [jobs, oldest].forEach(reset),
    );

    const outboxWaiting = this.gauge('kur_outbox_waiting', 'Outbox messages not yet relayed to the queues');
    const outboxAge = this.gauge('kur_outbox_oldest_waiting_age_seconds', 'Age of the oldest unrelayed outbox message');
    this.metrics.addCollector(
      'outbox',
      async () => {
        const { waiting, oldestAgeSeconds } = await this.outbox.backlog();
        outboxWaiting.set(waiting);
        outboxAge.set(oldestAgeSeconds);
      },
      () => [outboxWaiting, outboxAge].forEach(reset),
    );

    const open = this.gauge('kur_resolution_cases_open', 'Resolution cases waiting for an administrator');
    this.metrics.addCollector(
      'resolution_cases',
      async () => void open.set(await this.resolutions.countOpen()),
      () => reset(open),
    );
  }

  private async readQueues(jobs: Gauge, oldest: Gauge): Promise<void> {
    await Promise.all(
      this.queues.map(async (queue) => {
        const [counts, [next]] = await Promise.all([
          queue.getJobCounts(...JOB_STATES),
          // The wait list's far end is the job taken next, i.e. the one waiting longest.
          queue.getJobs(['wait'], 0, 0, true),
        ]);
        for (const state of JOB_STATES) jobs.set({ queue: queue.name, state }, counts[state] ?? 0);
        oldest.set({ queue: queue.name }, next ? (Date.now() - dueSince(next)) / 1000 : 0);
      }),
    );
  }

  private gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.metrics.registry] });
  }
}

/** When a waiting job became due: created (plus its delay), or its last attempt began (a retry). */
function dueSince(job: Job): number {
  return Math.max(job.timestamp + (job.opts.delay ?? 0), job.processedOn ?? 0);
}

const reset = (gauge: Gauge): void => gauge.reset();
