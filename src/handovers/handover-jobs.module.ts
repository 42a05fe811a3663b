import { Module } from '@nestjs/common';
import { HandoverJobs } from './handover-jobs';
import { HandoversModule } from './handovers.module';

@Module({ imports: [HandoversModule], providers: [HandoverJobs] })
export class HandoverJobsModule {}
