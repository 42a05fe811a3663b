import { Module } from '@nestjs/common';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { AssociationsController } from './associations.controller';
import { AssociationsService } from './associations.service';
import { RegistryImportService } from './registry-import.service';

/** Coordination associations and their dated memberships. */
@Module({
  imports: [MunicipalitiesModule],
  controllers: [AssociationsController],
  providers: [AssociationsService, RegistryImportService],
  exports: [AssociationsService, RegistryImportService],
})
export class AssociationsModule {}
