import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { AreasModule } from '../areas/areas.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/** Plans: structured, revisioned, signed by all four principals' management. */
@Module({
  imports: [ActivitiesModule, AreasModule, MunicipalitiesModule],
  controllers: [PlansController],
  providers: [PlansService],
  exports: [PlansService],
})
export class PlansModule {}
