import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { withTimeout } from '../core/with-timeout';
import { QueueName } from '../queue/job-catalogue';

/** Each queue answers, with its backlog: what an operator looks at first when handovers lag. */
@Injectable()
export class QueueHealthIndicator {
  private readonly queues: Queue[];

  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QueueName.ROUTING) routing: Queue,
    @InjectQueue(QueueName.DELIVERY) delivery: Queue,
    @InjectQueue(QueueName.SYNC) sync: Queue,
  ) {
    this.queues = [routing, delivery, sync];
  }

  checks() {
    return this.queues.map((queue) => () => this.check(queue));
  }

  private async check(queue: Queue) {
    const indicator = this.health.check(`queue:${queue.name}`);
    try {
      const counts = await withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), 2000);
      return indicator.up(counts);
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
