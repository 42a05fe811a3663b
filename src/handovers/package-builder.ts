import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityWorkView, toActivityWorkView } from '../activities/activity.views';
import type { Area } from '../areas/area.entity';
import type { CoveringAssociation } from '../associations/associations.service';
import { PreparedSql, prepared } from '../core/database/prepared';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { CitedPlan, CitedPlanRow, PlansService } from '../plans/plans.service';
import { PrioService } from '../prio/prio.service';
import { Readiness, ReadinessService, readinessOf } from '../readiness/readiness.service';
import { PACKAGE_SCHEMA_VERSION } from './handover.enums';
import { Handover } from './handover.entity';
import { HandoverPackageView, PackageAreaView, PackageRecipientView, PrioInventoryView } from './handover.views';

export interface AreaWork {
  area: PackageAreaView;
  activities: ActivityWorkView[];
  plans: CitedPlan[];
  readiness: Pick<Readiness, 'assessedAt' | 'points'>;
}

export type PackageRecipient = PackageRecipientView;

export type PackageArea = Pick<Area, 'id' | 'name' | 'kurRegion' | 'kurPhase' | 'grantedSek'>;

/** What a package says of one municipality: its name and PRIO rows; its county for a resolution case. */
export interface Place {
  code: string;
  name: string;
  countyCode: string;
  inventories: PrioInventoryView[];
}

/**
 * The handover package (DESIGN.md, "Handover package"): a frozen snapshot of the area's work for
 * one recipient, with the PRIO inventories of exactly the municipalities it covers.
 */
@Injectable()
export class PackageBuilder {
  private readonly readRoutingWork: PreparedSql;

  constructor(
    private readonly municipalities: MunicipalitiesService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly prio: PrioService,
    private readonly readiness: ReadinessService,
  ) {
    this.readRoutingWork = routingWorkSql(activities, plans, municipalities, prio);
  }

  /** The area's part of every package: read once per routing, shared by its handovers. */
  async areaWork(manager: EntityManager, area: PackageArea): Promise<AreaWork> {
    const { activities, plans } = await this.readWork(manager, area.id);
    const { assessedAt, points } = await this.readiness.assess(area.id, manager);
    return {
      area: areaOf(area),
      activities: activities.map(toActivityWorkView),
      plans,
      readiness: { assessedAt, points },
    };
  }

  /**
   * Everything routing an area needs, in one prepared statement however many municipalities and
   * recipients: the area's work, and each municipality's name, county and PRIO rows (each owning
   * module writes its part of the SQL). The readiness is assessed from what was read, with the
   * coverage routing found.
   */
  async routingWork(
    manager: EntityManager,
    area: PackageArea,
    codes: string[],
    covering: Map<string, CoveringAssociation>,
  ): Promise<{ work: AreaWork; places: Map<string, Place> }> {
    const [read]: RoutingWorkRow[] = await manager.query(this.readRoutingWork, [area.id, codes]);
    const activities = read.activities;
    const plans = this.plans.citedPlansOf(read.plans);
    const places = placesOf(read.places, read.inventories);
    const uncovered = codes.filter((code) => !covering.has(code)).map((code) => places.get(code)?.name ?? code);
    return {
      work: {
        area: areaOf(area),
        activities,
        plans,
        readiness: readinessOf(activities, plans, codes.length, uncovered),
      },
      places,
    };
  }

  /** One recipient's package, read from the database: the area's work, its municipalities and exactly their PRIO rows. */
  async build(
    manager: EntityManager,
    handover: Handover,
    work: AreaWork,
    recipient: PackageRecipient,
  ): Promise<HandoverPackageView> {
    const places = await this.places(manager, handover.municipalityCodes);
    return packageOf(handover, work, recipient, places);
  }

  private async readWork(manager: EntityManager, areaId: string) {
    const activities = await this.activities.forArea(areaId, manager);
    const plans = await this.plans.citedRevisions(
      activities.map((activity) => activity.id),
      manager,
    );
    return { activities, plans };
  }

  private async places(manager: EntityManager, codes: string[]): Promise<Map<string, Place>> {
    const municipalities = await this.municipalities.findByCodes(codes, manager);
    const inventories = await this.prio.forMunicipalities(codes, manager);
    return placesOf(municipalities, inventories);
  }
}

/** What routingWorkSql reads: JSON arrays, each in the order its module's own read gives. */
interface RoutingWorkRow {
  activities: ActivityWorkView[];
  plans: CitedPlanRow[];
  places: Pick<Place, 'code' | 'name' | 'countyCode'>[];
  inventories: PrioInventoryView[];
}

/**
 * Routing's reads after the area lock, as one statement: $1 the area, $2 its municipality codes.
 * Not with the lock: a job that waited for the lock must read what was committed meanwhile.
 */
function routingWorkSql(
  activities: ActivitiesService,
  plans: PlansService,
  municipalities: MunicipalitiesService,
  prio: PrioService,
): PreparedSql {
  return prepared(
    'kur_routing_work',
    `
  WITH area_activity AS (${activities.workRowsSql('$1::uuid')})
  SELECT (SELECT coalesce(json_agg(work ORDER BY created_at, id), '[]') FROM area_activity) AS activities,
         (${plans.citedPlansSql('SELECT id FROM area_activity')}) AS plans,
         (${municipalities.placesSql('$2::bpchar[]')}) AS places,
         (${prio.inventoriesSql('$2::bpchar[]')}) AS inventories`,
  );
}

/** Each municipality with its name, county and PRIO rows (by year, in the order given). */
function placesOf(
  municipalities: Pick<Place, 'code' | 'name' | 'countyCode'>[],
  inventories: PrioInventoryView[],
): Map<string, Place> {
  const places = new Map<string, Place>(
    municipalities.map((municipality) => [
      municipality.code,
      { code: municipality.code, name: municipality.name, countyCode: municipality.countyCode, inventories: [] },
    ]),
  );
  for (const row of inventories) {
    places.get(row.municipalityCode)?.inventories.push({
      municipalityCode: row.municipalityCode,
      year: row.year,
      inventoriedPersons: row.inventoriedPersons,
      unmetHousingNeeds: row.unmetHousingNeeds,
      unmetOccupationNeeds: row.unmetOccupationNeeds,
      analysisDate: row.analysisDate,
      employmentStrategyAgreed: row.employmentStrategyAgreed,
      sourceRevision: row.sourceRevision,
    });
  }
  return places;
}

/**
 * A package from what was read: the handover's municipalities in code order, each with its PRIO
 * rows (by year, as the PRIO service answers them).
 */
export function packageOf(
  handover: Pick<Handover, 'id' | 'revision' | 'municipalityCodes'>,
  work: AreaWork,
  recipient: PackageRecipient,
  places: Map<string, Place>,
): HandoverPackageView {
  const covered = [...handover.municipalityCodes]
    .sort()
    .map((code) => places.get(code))
    .filter((place): place is Place => place !== undefined);
  return {
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    handoverId: handover.id,
    revision: handover.revision,
    recipient,
    area: work.area,
    municipalities: covered.map((place) => ({ code: place.code, name: place.name })),
    activities: work.activities,
    plans: work.plans,
    readiness: work.readiness,
    prioInventories: covered.flatMap((place) => place.inventories),
    generatedAt: new Date().toISOString(),
  };
}

function areaOf(area: PackageArea): PackageAreaView {
  return {
    id: area.id,
    name: area.name,
    kurRegion: area.kurRegion,
    kurPhase: area.kurPhase,
    grantedSek: area.grantedSek,
  };
}
