import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PlansModule } from '../plans/plans.module';
import { ReadinessController } from './readiness.controller';
import { ReadinessService } from './readiness.service';

/** How well an area's work meets the final report's lessons, before and at finishing. */
@Module({
  imports: [AreasModule, ActivitiesModule, PlansModule, AssociationsModule, MunicipalitiesModule],
  controllers: [ReadinessController],
  providers: [ReadinessService],
  exports: [ReadinessService],
})
export class ReadinessModule {}
