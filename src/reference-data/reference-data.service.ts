import { Injectable, Logger } from '@nestjs/common';
import { referenceAssociations } from '../associations/reference-associations';
import { RegistryImportService } from '../associations/registry-import.service';
import { today } from '../core/time';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { readReferenceData } from '../municipalities/reference-data';

/**
 * Loads data/: counties, the 290 municipalities and the coordination associations with their
 * members. Idempotent; a membership first seen today is valid from today.
 */
@Injectable()
export class ReferenceDataService {
  private readonly logger = new Logger(ReferenceDataService.name);

  constructor(
    private readonly municipalities: MunicipalitiesService,
    private readonly registry: RegistryImportService,
  ) {}

  async load(): Promise<{ counties: number; municipalities: number; associations: number; changed: number }> {
    const { counties, municipalities } = readReferenceData();
    const { changed } = await this.municipalities.loadReferenceData(counties, municipalities);
    const associations = referenceAssociations();
    const registryChanges = await this.registry.apply(associations, today(), 'system:reference-data');
    const result = {
      counties: counties.length,
      municipalities: municipalities.length,
      associations: associations.length,
      changed: changed + registryChanges.inserted + registryChanges.updated + registryChanges.joined.length,
    };
    this.logger.log(result, 'Reference data loaded');
    return result;
  }
}
