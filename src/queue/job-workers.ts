import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../core/domain/errors';
import { redisConnection } from '../core/redis';
import { MetricsService } from '../metrics/metrics.service';
import { JobName, JobPayloads, QUEUE_OF, QueueName } from './job-catalogue';

/** What a handler gets besides its payload: `stopping` is aborted when the process shuts down. */
export interface JobContext {
  stopping: AbortSignal;
}

export type JobHandler<J extends JobName> = (payload: JobPayloads[J], context: JobContext) => Promise<unknown>;

/**
 * Asks for the job to run again after `delayMs` (a delivery schedule step, the receiver's
 * Retry-After, a busy recipient). The job waits as delayed; this is no failure and uses none of
 * the job's attempts, which count only errors.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/**
 * The worker side of the job catalogue. Feature modules register one handler per job at start-up;
 * the process refuses to start if a job has no handler or two. Workers close gracefully: active
 * jobs finish before shutdown, and a killed worker's jobs come back after WORKER_LOCK_MS.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobWorkers.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly workers: Worker[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  register<J extends JobName>(name: J, handler: JobHandler<J>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
    this.handlers.set(name, handler as JobHandler<JobName>);
  }

  onApplicationBootstrap(): void {
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
    for (const queue of Object.values(QueueName)) this.workers.push(this.startWorker(queue));
  }

  /** Before the database and Redis connections close, so active jobs can still record their outcome. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private startWorker(queue: QueueName): Worker {
    const worker = new Worker(
      queue,
      async (job: Job<JobPayloads[JobName]>, token?: string) => {
        const handler = this.handlers.get(job.name as JobName);
        if (!handler || QUEUE_OF[job.name as JobName] !== queue)
          throw new Error(`No handler for ${job.name} on ${queue}`);
        try {
          return await handler(job.data, { stopping: this.stopping.signal });
        } catch (error) {
          // The data forbids it (missing, a rule, a clash): another attempt would meet the same state.
          if (error instanceof DomainError) throw new UnrecoverableError(error.message);
          if (!(error instanceof RetryLater)) throw error;
          await job.moveToDelayed(Date.now() + error.delayMs, token);
          this.metrics.jobEnded(queue, job, 'retried');
          throw new DelayedError(error.message);
        }
      },
      {
        connection: redisConnection(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.concurrencyOf(queue),
        lockDuration: this.config.WORKER_LOCK_MS,
        stalledInterval: Math.max(1000, Math.floor(this.config.WORKER_LOCK_MS / 2)),
      },
    );
    worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.id, attempt: job?.attemptsMade, err: error.message }, `Job ${job?.name} failed`),
    );
    worker.on('error', (error) => this.logger.error({ err: error }, `Worker on ${queue} errored`));
    this.metrics.watchJobs(worker);
    return worker;
  }

  /** Syncs one at a time (each streams a large feed); routing and delivery as configured. */
  private concurrencyOf(queue: QueueName): number {
    if (queue === QueueName.DELIVERY) return this.config.DELIVERY_WORKER_CONCURRENCY;
    if (queue === QueueName.ROUTING) return this.config.ROUTING_WORKER_CONCURRENCY;
    return 1;
  }
}
