import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { KurPhase } from '../areas/area.enums';
import { AreasService } from '../areas/areas.service';
import { AssociationsService } from '../associations/associations.service';
import { today } from '../core/time';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { HandoversService } from '../handovers/handovers.service';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { PrioService } from '../prio/prio.service';
import { ReadinessService } from '../readiness/readiness.service';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { NationalReportData } from './national-report.data';
import { nationalReportTables } from './national-report.tables';
import { ProgrammeBudget } from './programme-budget.entity';
import { ReportTable } from './report-table';

export interface NationalReport {
  phase: KurPhase;
  generatedAt: string;
  tables: ReportTable[];
}

/** The national report (återrapportering), computed live from the database on every request. */
@Injectable()
export class NationalReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly activities: ActivitiesService,
    private readonly handovers: HandoversService,
    private readonly resolutions: ResolutionsService,
    private readonly associations: AssociationsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly prio: PrioService,
    private readonly readiness: ReadinessService,
    private readonly followUps: FollowUpsService,
  ) {}

  async generate(phase: KurPhase): Promise<NationalReport> {
    return { phase, generatedAt: new Date().toISOString(), tables: nationalReportTables(await this.gather(phase)) };
  }

  private async gather(phase: KurPhase): Promise<NationalReportData> {
    const areas = await this.areas.inPhase(phase);
    const areaIds = areas.map(({ area }) => area.id);
    const handovers = await this.handovers.forAreas(areaIds);
    const allCodes = [...(await this.municipalities.knownCodes()).municipalities];
    const areaCodes = [...new Set(areas.flatMap(({ municipalityCodes }) => municipalityCodes))];
    const recipientCodes = handovers.flatMap((handover) => handover.recipientMunicipalityCode ?? []);
    return {
      phase,
      areas,
      activities: await this.activities.forAreas(areaIds),
      handovers,
      associationNames: await this.associations.namesOf([
        ...new Set(handovers.flatMap((handover) => handover.associationId ?? [])),
      ]),
      municipalityNames: new Map(
        (await this.municipalities.findByCodes(recipientCodes)).map((municipality) => [
          municipality.code,
          municipality.name,
        ]),
      ),
      cases: await this.resolutions.forHandovers(handovers.map((handover) => handover.id)),
      municipalityCount: allCodes.length,
      coveredMunicipalityCount: (await this.associations.coveringAssociations(allCodes, today())).size,
      municipalitiesWithPrio: await this.prio.municipalitiesWithInventories(areaCodes),
      readiness: await Promise.all(areaIds.map(async (id) => (await this.readiness.assess(id)).points)),
      followUps: await this.followUps.statistics(areaIds),
      budget: await this.dataSource
        .getRepository(ProgrammeBudget)
        .find({ order: { kurPhase: 'ASC', yearFrom: 'ASC', yearTo: 'ASC' } }),
    };
  }
}
