import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditModule } from './audit/audit.module';
import { CoreModule } from './core/core.module';
import { HandoverJobsModule } from './handovers/handover-jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationJobsModule } from './notifications/notification-jobs.module';
import { OutboxRelayModule } from './outbox/outbox-relay.module';
import { JobWorkersModule } from './queue/workers.module';
import { ResolutionJobsModule } from './resolutions/resolution-jobs.module';
import { SyncJobsModule } from './sync/sync-jobs.module';

/** What makes a process a worker: the outbox relay and every job handler. */
export const WORKER_FEATURES = [
  JobWorkersModule,
  OutboxRelayModule,
  HandoverJobsModule,
  ResolutionJobsModule,
  SyncJobsModule,
  NotificationJobsModule,
];

/**
 * The worker process: queue consumers and schedules, no HTTP. Scales out on its own; BullMQ on
 * Redis spreads the jobs across instances.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config), AuditModule, MetricsModule, ...WORKER_FEATURES] };
  }
}
