import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName, RETENTION } from './job-catalogue';
import { JobEnsurer } from './job-ensurer';

const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueue({ name, defaultJobOptions: { ...RETENTION } }),
);

/** The queues, registered once; producers and workers import this. */
@Module({ imports: queues, providers: [JobEnsurer], exports: [...queues, JobEnsurer] })
export class QueueModule {}
