import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PlansModule } from '../plans/plans.module';
import { PrioModule } from '../prio/prio.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { QueueModule } from '../queue/queue.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { ResolutionsModule } from '../resolutions/resolutions.module';
import { DeliveryRecorder } from './delivery-recorder';
import { DeliveryService } from './delivery.service';
import { FinishService } from './finish.service';
import { HandoverSweepService } from './handover-sweep.service';
import { HandoversController } from './handovers.controller';
import { HandoversService } from './handovers.service';
import { PackageBuilder } from './package-builder';
import { RoutingService } from './routing.service';

/** Finishing areas, routing their handovers, delivering them, the feed and the decisions. */
@Module({
  imports: [
    QueueModule,
    AreasModule,
    ActivitiesModule,
    PlansModule,
    AssociationsModule,
    MunicipalitiesModule,
    PrioModule,
    ResolutionsModule,
    ReadinessModule,
    FollowUpsModule,
  ],
  controllers: [HandoversController],
  providers: [
    HandoversService,
    FinishService,
    RoutingService,
    DeliveryService,
    DeliveryRecorder,
    PackageBuilder,
    HandoverSweepService,
  ],
  exports: [HandoversService, RoutingService, DeliveryService, HandoverSweepService],
})
export class HandoversModule {}
