import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { JobName, JobPayloads, QUEUE_OF, QueueName, jobIdOf } from './job-catalogue';
import { jobOptions } from './job-options';

export type Ensured = 'live' | 'added' | 'retried' | 'replaced';

/**
 * Makes sure a job the database says is due exists in Redis: Redis holds work, not facts, so a
 * flushed or restarted Redis loses nothing that a sweep cannot put back.
 */
@Injectable()
export class JobEnsurer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.ROUTING) routing: Queue,
    @InjectQueue(QueueName.DELIVERY) delivery: Queue,
    @InjectQueue(QueueName.SYNC) sync: Queue,
  ) {
    this.queues = { [QueueName.ROUTING]: routing, [QueueName.DELIVERY]: delivery, [QueueName.SYNC]: sync };
  }

  async ensure<J extends JobName>(name: J, payload: JobPayloads[J]): Promise<Ensured> {
    const queue = this.queues[QUEUE_OF[name]];
    const jobId = jobIdOf(name, payload);
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    if (job && state === 'failed') {
      await job.retry('failed');
      return 'retried';
    }
    if (job && state !== 'completed' && state !== 'unknown') return 'live';
    if (job) await job.remove();
    await queue.add(name, payload, { ...jobOptions(name, this.config), jobId });
    return job ? 'replaced' : 'added';
  }
}
