import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { AreasService } from '../areas/areas.service';
import { AssociationsService } from '../associations/associations.service';
import { Caller } from '../auth/principal';
import { today } from '../core/time';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { CitedPlan, PlansService } from '../plans/plans.service';
import type { Activity } from '../activities/activity.entity';
import { ReadinessPoint, assessReadiness } from './readiness.rules';

export interface Readiness {
  areaId: string;
  assessedAt: string;
  points: ReadinessPoint[];
}

/** Gathers an area's work and assesses it against the final report's lessons. */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly associations: AssociationsService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  /** For a caller who may see the area (404 otherwise). */
  async forCaller(caller: Caller, areaId: string): Promise<Readiness> {
    await this.areas.findVisible(caller, areaId, this.dataSource.manager);
    return this.assess(areaId);
  }

  async assess(areaId: string, manager: EntityManager = this.dataSource.manager): Promise<Readiness> {
    const activities = await this.activities.forArea(areaId, manager);
    const plans = await this.plans.citedRevisions(
      activities.map((activity) => activity.id),
      manager,
    );
    const codes = (await this.areas.municipalityCodes([areaId], manager)).get(areaId) ?? [];
    const covering = await this.associations.coveringAssociations(codes, today(), manager);
    const uncovered = await this.municipalities.findByCodes(
      codes.filter((code) => !covering.has(code)),
      manager,
    );
    return {
      areaId,
      ...readinessOf(
        activities,
        plans,
        codes.length,
        uncovered.map((municipality) => municipality.name),
      ),
    };
  }
}

/** The assessment of work already read: routing has it at hand and reads nothing again. */
export function readinessOf(
  activities: Pick<Activity, 'id' | 'title' | 'type' | 'status' | 'userInvolvement'>[],
  plans: CitedPlan[],
  municipalityCount: number,
  uncoveredMunicipalities: string[],
): Pick<Readiness, 'assessedAt' | 'points'> {
  return {
    assessedAt: new Date().toISOString(),
    points: assessReadiness({
      activities: activities.map((activity) => ({
        id: activity.id,
        title: activity.title,
        type: activity.type,
        status: activity.status,
        userOrganisationsInPlanning: activity.userInvolvement.userOrganisationsInPlanning,
      })),
      plans,
      uncoveredMunicipalities,
      municipalityCount,
    }),
  };
}
