import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobName } from '../queue/job-catalogue';
import { JobWorkers } from '../queue/job-workers';
import { DeliveryService } from './delivery.service';
import { RoutingService } from './routing.service';

/** Worker side: routing and delivery jobs. */
@Injectable()
export class HandoverJobs implements OnModuleInit {
  constructor(
    private readonly workers: JobWorkers,
    private readonly routing: RoutingService,
    private readonly delivery: DeliveryService,
  ) {}

  onModuleInit(): void {
    this.workers.register(JobName.ROUTE_AREA, ({ areaId, revision }) => this.routing.routeArea(areaId, revision));
    this.workers.register(JobName.ROUTE_HANDOVER, ({ handoverId }) => this.routing.routeResolved(handoverId));
    this.workers.register(JobName.DELIVER_HANDOVER, ({ handoverId }, job) =>
      this.delivery.deliver(handoverId, job.attemptsMade + 1),
    );
  }
}
