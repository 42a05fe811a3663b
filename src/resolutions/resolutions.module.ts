import { Module } from '@nestjs/common';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { ResolutionsController } from './resolutions.controller';
import { ResolutionsService } from './resolutions.service';

/** The resolution queue of municipalities outside every association. */
@Module({
  imports: [AreasModule, AssociationsModule, MunicipalitiesModule],
  controllers: [ResolutionsController],
  providers: [ResolutionsService],
  exports: [ResolutionsService],
})
export class ResolutionsModule {}
