import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../core/domain/errors';
import { redisConnection } from '../core/redis';
import { MetricsService } from '../metrics/metrics.service';
import { JobName, JobPayloads, QUEUE_OF, QueueName } from './job-catalogue';

export type JobHandler<J extends JobName> = (payload: JobPayloads[J], job: Job<JobPayloads[J]>) => Promise<unknown>;

/** An error that asks for the next attempt after `delayMs` (a schedule step, or the receiver's Retry-After). */
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
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private startWorker(queue: QueueName): Worker {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const handler = this.handlers.get(job.name as JobName);
        if (!handler || QUEUE_OF[job.name as JobName] !== queue)
          throw new Error(`No handler for ${job.name} on ${queue}`);
        return handler(job.data, job).catch((error: unknown) => {
          // The data forbids it (missing, a rule, a clash): another attempt would meet the same state.
          throw error instanceof DomainError ? new UnrecoverableError(error.message) : error;
        });
      },
      {
        connection: redisConnection(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: queue === QueueName.DELIVERY ? 10 : queue === QueueName.SYNC ? 1 : 2,
        lockDuration: this.config.WORKER_LOCK_MS,
        stalledInterval: Math.max(1000, Math.floor(this.config.WORKER_LOCK_MS / 2)),
        settings: {
          backoffStrategy: (_attempts, _type, error) => (error instanceof RetryLater ? error.delayMs : 1000),
        },
      },
    );
    worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.id, attempt: job?.attemptsMade, err: error.message }, `Job ${job?.name} failed`),
    );
    worker.on('error', (error) => this.logger.error({ err: error }, `Worker on ${queue} errored`));
    this.metrics.watchJobs(worker);
    return worker;
  }
}
