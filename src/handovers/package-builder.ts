import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityWorkView, toActivityWorkView } from '../activities/activity.views';
import type { Area } from '../areas/area.entity';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { CitedPlan, PlansService } from '../plans/plans.service';
import { PrioService } from '../prio/prio.service';
import { Readiness, ReadinessService } from '../readiness/readiness.service';
import { PACKAGE_SCHEMA_VERSION } from './handover.enums';
import { Handover } from './handover.entity';
import { HandoverPackageView, PackageAreaView, PackageRecipientView } from './handover.views';

export interface AreaWork {
  area: PackageAreaView;
  activities: ActivityWorkView[];
  plans: CitedPlan[];
  readiness: Pick<Readiness, 'assessedAt' | 'points'>;
}

export type PackageRecipient = PackageRecipientView;

/**
 * The handover package (DESIGN.md, "Handover package"): a frozen snapshot of the area's work for
 * one recipient, with the PRIO inventories of exactly the municipalities it covers.
 */
@Injectable()
export class PackageBuilder {
  constructor(
    private readonly municipalities: MunicipalitiesService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly prio: PrioService,
    private readonly readiness: ReadinessService,
  ) {}

  /** The area's part of every package: read once per routing, shared by its handovers. */
  async areaWork(manager: EntityManager, area: Area): Promise<AreaWork> {
    const activities = await this.activities.forArea(area.id, manager);
    const plans = await this.plans.citedRevisions(
      activities.map((activity) => activity.id),
      manager,
    );
    const { assessedAt, points } = await this.readiness.assess(area.id, manager);
    return {
      readiness: { assessedAt, points },
      area: {
        id: area.id,
        name: area.name,
        kurRegion: area.kurRegion,
        kurPhase: area.kurPhase,
        grantedSek: area.grantedSek,
      },
      activities: activities.map(toActivityWorkView),
      plans,
    };
  }

  /** One recipient's package: the area's work, its municipalities and exactly their PRIO rows. */
  async build(
    manager: EntityManager,
    handover: Handover,
    work: AreaWork,
    recipient: PackageRecipient,
  ): Promise<HandoverPackageView> {
    const municipalities = await this.municipalities.findByCodes(handover.municipalityCodes, manager);
    const inventories = await this.prio.forMunicipalities(handover.municipalityCodes, manager);
    return {
      schemaVersion: PACKAGE_SCHEMA_VERSION,
      handoverId: handover.id,
      revision: handover.revision,
      recipient,
      area: work.area,
      municipalities: municipalities.map((municipality) => ({ code: municipality.code, name: municipality.name })),
      activities: work.activities,
      plans: work.plans,
      readiness: work.readiness,
      prioInventories: inventories.map((row) => ({
        municipalityCode: row.municipalityCode,
        year: row.year,
        inventoriedPersons: row.inventoriedPersons,
        unmetHousingNeeds: row.unmetHousingNeeds,
        unmetOccupationNeeds: row.unmetOccupationNeeds,
        analysisDate: row.analysisDate,
        employmentStrategyAgreed: row.employmentStrategyAgreed,
        sourceRevision: row.sourceRevision,
      })),
      generatedAt: new Date().toISOString(),
    };
  }
}
