import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobName } from '../queue/job-catalogue';
import { JobWorkers } from '../queue/job-workers';
import { DeliveryService } from './delivery.service';
import { HandoverSweepService } from './handover-sweep.service';
import { RoutingService } from './routing.service';

/** Worker side: routing and delivery jobs, and a periodic sweep that puts back jobs Redis lost. */
@Injectable()
export class HandoverJobs implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HandoverJobs.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    private readonly workers: JobWorkers,
    private readonly routing: RoutingService,
    private readonly delivery: DeliveryService,
    private readonly sweeper: HandoverSweepService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweeper
        .sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Handover sweep failed; will retry'))
        .finally(() => (this.sweeping = undefined));
    }, this.config.SWEEP_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  onModuleInit(): void {
    this.workers.register(JobName.ROUTE_AREA, ({ areaId, revision }) => this.routing.routeArea(areaId, revision));
    this.workers.register(JobName.ROUTE_HANDOVER, ({ handoverId }) => this.routing.routeResolved(handoverId));
    this.workers.register(JobName.DELIVER_HANDOVER, ({ handoverId, round }, { stopping }) =>
      this.delivery.deliver(handoverId, round, stopping),
    );
  }
}
