import { Module } from '@nestjs/common';
import { AreasModule } from '../areas/areas.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';

/** The areas' KUR activities: knowledge initiatives and cooperation plans. */
@Module({
  imports: [AreasModule],
  controllers: [ActivitiesController],
  providers: [ActivitiesService],
  exports: [ActivitiesService],
})
export class ActivitiesModule {}
