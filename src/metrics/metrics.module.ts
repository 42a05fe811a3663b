import { getQueueToken } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { QueueName } from '../queue/job-catalogue';
import { QueueModule } from '../queue/queue.module';
import { ResolutionsModule } from '../resolutions/resolutions.module';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';
import { METRIC_QUEUES, StateGauges } from './state-gauges';

/**
 * Prometheus metrics: the typed MetricsService every feature records through, the figures read at
 * scrape time, and the worker's own listener. The API mounts its /metrics in http-app.ts.
 */
@Global()
@Module({
  imports: [QueueModule, ResolutionsModule],
  providers: [
    MetricsService,
    MetricsListener,
    StateGauges,
    {
      provide: METRIC_QUEUES,
      useFactory: (...queues: unknown[]) => queues,
      inject: Object.values(QueueName).map((name) => getQueueToken(name)),
    },
  ],
  exports: [MetricsService, MetricsListener],
})
export class MetricsModule {}
