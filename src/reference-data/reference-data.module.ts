import { Module } from '@nestjs/common';
import { AssociationsModule } from '../associations/associations.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { ReferenceDataService } from './reference-data.service';

@Module({
  imports: [MunicipalitiesModule, AssociationsModule],
  providers: [ReferenceDataService],
  exports: [ReferenceDataService],
})
export class ReferenceDataModule {}
