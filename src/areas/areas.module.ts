import { Module } from '@nestjs/common';
import { AssociationsModule } from '../associations/associations.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { AreasController } from './areas.controller';
import { AreasService } from './areas.service';

/** KUR areas: who got money, where, and how far their work has come. */
@Module({
  imports: [MunicipalitiesModule, AssociationsModule],
  controllers: [AreasController],
  providers: [AreasService],
  exports: [AreasService],
})
export class AreasModule {}
