import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName, RETENTION } from './job-catalogue';

const queues = Object.values(QueueName).map((name) =>
  BullModule.registerQueue({ name, defaultJobOptions: { ...RETENTION } }),
);

/** The queues, registered once; producers and workers import this. */
@Module({ imports: queues, exports: queues })
export class QueueModule {}
