import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { JobName, JobRequest, QUEUE_OF, QueueName, requestId } from './job-catalogue';
import { jobOptions } from './job-options';

/** Put back a failed job (retried), or one Redis does not hold or holds as completed (added). */
export type Ensured = 'live' | 'added' | 'retried';

const FINISHED = new Set(['completed', 'failed', 'unknown']);

/**
 * Makes sure a job the database says is due exists in Redis: Redis holds work, not facts, so a
 * flushed or restarted Redis loses nothing that a sweep cannot put back.
 */
@Injectable()
export class JobEnsurer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.ROUTING) routing: Queue,
    @InjectQueue(QueueName.DELIVERY) delivery: Queue,
    @InjectQueue(QueueName.SYNC) sync: Queue,
  ) {
    this.queues = { [QueueName.ROUTING]: routing, [QueueName.DELIVERY]: delivery, [QueueName.SYNC]: sync };
  }

  /** Redis holds the job waiting, delayed or running. */
  async isLive(request: JobRequest): Promise<boolean> {
    const job = await this.find(request);
    return !!job && !FINISHED.has(await job.getState());
  }

  async ensure(request: JobRequest): Promise<Ensured> {
    const job = await this.find(request);
    const state = job ? await job.getState() : 'unknown';
    if (job && state === 'failed') {
      await job.retry('failed');
      return 'retried';
    }
    if (job && !FINISHED.has(state)) return 'live';
    if (job) await job.remove();
    await this.queueOf(request.name).add(request.name, request.payload, {
      ...jobOptions(request.name),
      jobId: requestId(request),
    });
    return 'added';
  }

  private find(request: JobRequest): Promise<Job | undefined> {
    return this.queueOf(request.name).getJob(requestId(request));
  }

  private queueOf(name: JobName): Queue {
    return this.queues[QUEUE_OF[name]];
  }
}
