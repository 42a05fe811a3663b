import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobName } from '../queue/job-catalogue';
import { JobWorkers } from '../queue/job-workers';
import { SyncRunner } from './sync-runner';
import { SyncRunnerModule } from './sync-runner.module';
import { SyncScheduler } from './sync-scheduler';

@Injectable()
export class SyncJobs implements OnModuleInit {
  constructor(
    private readonly workers: JobWorkers,
    private readonly runner: SyncRunner,
  ) {}

  onModuleInit(): void {
    this.workers.register(JobName.RUN_SYNC, ({ runId }) => this.runner.run(runId));
  }
}

/** Worker side: the nightly schedules and the sync jobs. */
@Module({ imports: [ScheduleModule.forRoot(), SyncRunnerModule], providers: [SyncJobs, SyncScheduler] })
export class SyncJobsModule {}
