import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityWorkView, toActivityWorkView } from '../activities/activity.views';
import type { Area } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AssociationsService, CoveringAssociation } from '../associations/associations.service';
import { asError } from '../core/database/group-commit';
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
  private readonly readRouting: PreparedSql;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly municipalities: MunicipalitiesService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly prio: PrioService,
    private readonly readiness: ReadinessService,
    areas: AreasService,
    associations: AssociationsService,
  ) {
    this.readRouting = readForRoutingSql({ areas, associations, activities, plans, municipalities, prio });
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
   * Everything routing areas needs on a day, in one prepared statement however many areas,
   * municipalities and recipients (each owning module writes its part of the SQL): per area, the
   * area, the revision routed before, its municipalities, the association covering each, the area's
   * work, and each municipality's name, county and PRIO rows; the readiness is assessed from what
   * was read. In the order asked: null for an area that does not exist, the error for one whose
   * work cannot be read (a cited plan revision missing).
   */
  async readForRouting(areaIds: readonly string[], date: string): Promise<(RoutingRead | null | Error)[]> {
    const rows: RoutingReadRow[] = await this.dataSource.query(this.readRouting, [JSON.stringify(areaIds), date]);
    return rows.map((row) => {
      try {
        return this.routingReadOf(row);
      } catch (error) {
        return asError(error);
      }
    });
  }

  private routingReadOf(read: RoutingReadRow): RoutingRead | null {
    if (!read.area) return null;
    const { routedRevision, codes, ...area } = read.area;
    const covering = new Map(read.coverage.map(({ code, ...association }) => [code, association]));
    const activities = read.activities;
    const plans = this.plans.citedPlansOf(read.plans);
    const places = placesOf(read.places, read.inventories);
    const uncovered = codes.filter((code) => !covering.has(code)).map((code) => places.get(code)?.name ?? code);
    return {
      routedRevision,
      codes,
      covering,
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

/** What routing reads of an area before it writes its handovers. */
export interface RoutingRead {
  /** A revision at or below this one needs no routing. */
  routedRevision: number;
  /** The area's municipalities, in code order. */
  codes: string[];
  /** The association covering each covered municipality. */
  covering: Map<string, CoveringAssociation>;
  work: AreaWork;
  places: Map<string, Place>;
}

/** What readForRoutingSql reads: JSON, each array in the order its module's own read gives. */
interface RoutingReadRow {
  area: (PackageArea & { routedRevision: number; codes: string[] }) | null;
  coverage: (CoveringAssociation & { code: string })[];
  activities: ActivityWorkView[];
  plans: CitedPlanRow[];
  places: Pick<Place, 'code' | 'name' | 'countyCode'>[];
  inventories: PrioInventoryView[];
}

/**
 * Routing's read, as one statement: $1 the areas (JSON, an area once), $2 the day of the coverage;
 * a row per area, in the order given, each read by its own lookups whatever the statistics say.
 * Not under a lock: the statement that writes the handovers claims the revisions
 * (AreasService.claimRoutingSql), so a routing that read before another's commit writes nothing.
 */
function readForRoutingSql(modules: {
  areas: AreasService;
  associations: AssociationsService;
  activities: ActivitiesService;
  plans: PlansService;
  municipalities: MunicipalitiesService;
  prio: PrioService;
}): PreparedSql {
  const areaId = 'wanted.id::uuid';
  // Cast, so that `= ANY(codes)` takes it as the array it is, not as a subquery of rows.
  const codes = '(SELECT codes FROM routed_area)::bpchar[]';
  return prepared(
    'kur_read_for_routing',
    `
  SELECT found.* FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS wanted(id, position)
   CROSS JOIN LATERAL (
    WITH routed_area AS (${modules.areas.routingAreaSql(areaId)}),
         covering AS (${modules.associations.coverageSql(codes, '$2::date')}),
         area_activity AS (${modules.activities.workRowsSql(areaId)})
    SELECT (SELECT row_to_json(routed_area) FROM routed_area) AS area,
           (SELECT coalesce(json_agg(covering), '[]') FROM covering) AS coverage,
           (SELECT coalesce(json_agg(work ORDER BY created_at, id), '[]') FROM area_activity) AS activities,
           (${modules.plans.citedPlansSql('SELECT id FROM area_activity')}) AS plans,
           (${modules.municipalities.placesSql(codes)}) AS places,
           (${modules.prio.inventoriesSql(codes)}) AS inventories
    OFFSET 0) AS found
   ORDER BY wanted.position`,
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

/** What every package of an area's revision holds alike: the area's work. */
export type PackageWork = Pick<HandoverPackageView, 'area' | 'activities' | 'plans' | 'readiness'>;

/** What a package holds for its recipient alone. */
export type PackageOwnPart = Omit<HandoverPackageView, keyof PackageWork>;

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
  return { ...ownPartOf(handover, recipient, places), ...workOf(work) };
}

export function workOf(work: AreaWork): PackageWork {
  return { area: work.area, activities: work.activities, plans: work.plans, readiness: work.readiness };
}

export function ownPartOf(
  handover: Pick<Handover, 'id' | 'revision' | 'municipalityCodes'>,
  recipient: PackageRecipient,
  places: Map<string, Place>,
): PackageOwnPart {
  const covered = [...handover.municipalityCodes]
    .sort()
    .map((code) => places.get(code))
    .filter((place): place is Place => place !== undefined);
  return {
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    handoverId: handover.id,
    revision: handover.revision,
    recipient,
    municipalities: covered.map((place) => ({ code: place.code, name: place.name })),
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
