import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AssociationsService } from '../associations/associations.service';
import { AuditService, diff } from '../audit/audit.service';
import { Caller, Role, actorOf, seesAllAreas } from '../auth/principal';
import { assertVersion } from '../core/http/etag';
import { Page, paginateRows } from '../core/http/pagination';
import { conflict, notFound, ruleViolation } from '../core/domain/errors';
import { ALL, IdScope, inScope, only, scopeCondition } from '../core/database/scope';
import { prepared, preparedText } from '../core/database/prepared';
import { SqlParameters } from '../core/database/sql';
import { pickDefined } from '../core/objects';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { AreaMunicipality } from './area-municipality.entity';
import { AreaQuery, CreateAreaDto, UpdateAreaDto } from './area.dto';
import { Area } from './area.entity';
import { AREA_TRANSITIONS, AreaStatus, KurPhase, MAX_GRANT_SEK } from './area.enums';

const AUDITED: (keyof Area)[] = [
  'name',
  'kurRegion',
  'kurPhase',
  'grantedSek',
  'status',
  'principals',
  'summary',
  'notes',
];

export type ImportedArea = Pick<
  Area,
  'name' | 'kurRegion' | 'kurPhase' | 'grantedSek' | 'status' | 'principals' | 'summary' | 'notes'
> & {
  municipalityCodes: string[];
};

export interface AreaWithMunicipalities {
  area: Area;
  municipalityCodes: string[];
}

/** What an area's view shows of its row. */
export type AreaRow = Pick<
  Area,
  | 'id'
  | 'name'
  | 'kurRegion'
  | 'kurPhase'
  | 'status'
  | 'grantedSek'
  | 'allocatedSek'
  | 'principals'
  | 'summary'
  | 'notes'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
>;

/** An area as it is read for its view: the row and its municipalities. */
export interface AreaRead {
  area: AreaRow;
  municipalityCodes: string[];
}

/** The view's columns named as AreaRow's properties: reads skip entity hydration (they run on every page). */
const AREA_ROW = `SELECT area.id, area.name, area.kur_region AS "kurRegion", area.kur_phase AS "kurPhase", area.status,
  area.granted_sek AS "grantedSek", area.allocated_sek AS "allocatedSek", area.principals, area.summary, area.notes,
  area.version, area.created_at AS "createdAt", area.updated_at AS "updatedAt" FROM area`;

/** Prepared: every area read and list page runs them. */
const AREA_NAMES = prepared('kur_area_names', 'SELECT id, name FROM area WHERE id = ANY($1)');
const MUNICIPALITY_CODES = prepared(
  'kur_area_municipality_codes',
  'SELECT area_id, municipality_code FROM area_municipality WHERE area_id = ANY($1) ORDER BY municipality_code',
);

@Injectable()
export class AreasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly associations: AssociationsService,
  ) {}

  async list(caller: Caller, filter: AreaQuery): Promise<Page<AreaRead>> {
    const parameters = new SqlParameters();
    const conditions = scopeCondition('area.id', await this.scope(caller), parameters);
    if (filter.kurRegion) conditions.push(`area.kur_region = ${parameters.add(filter.kurRegion)}`);
    if (filter.kurPhase) conditions.push(`area.kur_phase = ${parameters.add(filter.kurPhase)}`);
    if (filter.status) conditions.push(`area.status = ${parameters.add(filter.status)}`);
    if (filter.municipalityCode) {
      conditions.push(
        `EXISTS (SELECT 1 FROM area_municipality am WHERE am.area_id = area.id AND am.municipality_code = ${parameters.add(filter.municipalityCode)})`,
      );
    }
    const page = await paginateRows<AreaRow>(
      this.dataSource.manager,
      { select: AREA_ROW, conditions, parameters },
      [
        { column: 'area.name', value: (area) => area.name },
        { column: 'area.id', value: (area) => area.id },
      ],
      filter,
    );
    const codes = await this.municipalityCodes(page.items.map((area) => area.id));
    return {
      items: page.items.map((area) => ({ area, municipalityCodes: codes.get(area.id) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }

  async get(caller: Caller, id: string): Promise<AreaRead> {
    const parameters = new SqlParameters();
    const conditions = [
      ...scopeCondition('area.id', await this.scope(caller), parameters),
      `area.id = ${parameters.add(id)}`,
    ];
    const [area] = await this.dataSource.query<AreaRow[]>(
      preparedText(`${AREA_ROW} WHERE ${conditions.join(' AND ')}`),
      parameters.values,
    );
    if (!area) throw notFound('Area', id);
    return { area, municipalityCodes: (await this.municipalityCodes([id])).get(id) ?? [] };
  }

  /** The area if the caller may see it; out-of-scope ids are "not found" so they do not leak. */
  async findVisible(caller: Caller, id: string, manager: EntityManager, lock = false): Promise<Area> {
    const query = (await this.visibleAreas(caller, manager)).andWhere('area.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    const area = await query.getOne();
    if (!area) throw notFound('Area', id);
    return area;
  }

  async create(caller: Caller, dto: CreateAreaDto): Promise<AreaWithMunicipalities> {
    checkGrant(dto.grantedSek ?? null, 0);
    return this.dataSource.transaction(async (manager) => {
      await this.municipalities.assertKnown(dto.municipalityCodes, manager);
      if (await manager.getRepository(Area).existsBy({ name: dto.name, kurPhase: dto.kurPhase })) {
        throw conflict(`An area named "${dto.name}" exists already in ${dto.kurPhase}`);
      }
      const area = await manager.save(
        manager.getRepository(Area).create({
          name: dto.name,
          kurRegion: dto.kurRegion,
          kurPhase: dto.kurPhase,
          grantedSek: dto.grantedSek ?? null,
          allocatedSek: 0,
          status: AreaStatus.DRAFT,
          principals: dto.principals ?? [],
          summary: dto.summary ?? null,
          notes: dto.notes ?? null,
        }),
      );
      await this.replaceMunicipalities(manager, area.id, dto.municipalityCodes);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'area.created',
        entityType: 'area',
        entityId: area.id,
        changes: { ...diff({}, area, AUDITED), municipalityCodes: [null, dto.municipalityCodes] },
      });
      return { area, municipalityCodes: [...dto.municipalityCodes].sort() };
    });
  }

  async update(caller: Caller, id: string, version: number, dto: UpdateAreaDto): Promise<AreaWithMunicipalities> {
    return this.dataSource.transaction(async (manager) => {
      const area = await this.findVisible(caller, id, manager, true);
      assertVersion(area.version, version, 'The area');
      const before = { ...area };
      if (dto.status !== undefined && dto.status !== area.status) checkTransition(area.status, dto.status);
      if (dto.grantedSek !== undefined) checkGrant(dto.grantedSek, area.allocatedSek);
      if (dto.municipalityCodes) await this.municipalities.assertKnown(dto.municipalityCodes, manager);
      if (dto.name !== undefined && dto.name !== area.name) {
        if (await manager.getRepository(Area).existsBy({ name: dto.name, kurPhase: area.kurPhase })) {
          throw conflict(`An area named "${dto.name}" exists already in ${area.kurPhase}`);
        }
      }
      Object.assign(
        area,
        pickDefined(dto, ['name', 'kurRegion', 'grantedSek', 'principals', 'summary', 'notes', 'status']),
      );
      let saved = await manager.save(area);
      const changes = diff(before, saved, AUDITED);
      if (dto.municipalityCodes) {
        const previous = (await this.municipalityCodes([id], manager)).get(id) ?? [];
        if (await this.replaceMunicipalities(manager, id, dto.municipalityCodes)) {
          changes.municipalityCodes = [previous, [...dto.municipalityCodes].sort()];
          if (saved.version === before.version) {
            // The municipalities are part of the area: changing only them is still a new version.
            await manager.increment(Area, { id }, 'version', 1);
            saved = await manager.getRepository(Area).findOneByOrFail({ id });
          }
        }
      }
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'area.updated',
        entityType: 'area',
        entityId: id,
        changes,
      });
      return { area: saved, municipalityCodes: (await this.municipalityCodes([id], manager)).get(id) ?? [] };
    });
  }

  /**
   * Creates or updates an area by (name, phase) from an import, writing only what differs, so a
   * second import of the same data changes nothing (not even updated_at).
   */
  async upsertImported(
    manager: EntityManager,
    fields: ImportedArea,
    actor: string,
  ): Promise<{ area: Area; changed: boolean }> {
    const repository = manager.getRepository(Area);
    const existing = await repository.findOneBy({ name: fields.name, kurPhase: fields.kurPhase });
    // The import sets the status of a new area only; later progress made through the API stays.
    const { municipalityCodes, status, ...rest } = fields;
    const columns = existing ? rest : { ...rest, status };
    await this.municipalities.assertKnown(municipalityCodes, manager);
    const changes = diff(existing ?? {}, { ...existing, ...columns }, AUDITED);
    const area = Object.keys(changes).length
      ? await manager.save(Object.assign(existing ?? repository.create({ allocatedSek: 0 }), columns))
      : existing!;
    const linksChanged = await this.replaceMunicipalities(manager, area.id, municipalityCodes);
    if (Object.keys(changes).length || linksChanged) {
      await this.audit.record(manager, {
        actor,
        action: existing ? 'area.updated' : 'area.created',
        entityType: 'area',
        entityId: area.id,
        changes: linksChanged ? { ...changes, municipalityCodes } : changes,
      });
    }
    return { area, changed: Object.keys(changes).length > 0 || linksChanged };
  }

  /**
   * Moves `delta` SEK of the area's grant to (or back from) its activities, under the area's row
   * lock, so concurrent activity writes cannot together exceed the grant.
   */
  async allocate(manager: EntityManager, area: Area, delta: number): Promise<void> {
    if (delta === 0) return;
    const allocated = area.allocatedSek + delta;
    if (delta > 0 && (area.grantedSek === null || allocated > area.grantedSek)) {
      throw ruleViolation(
        'ACTIVITY_COSTS_WITHIN_GRANT',
        area.grantedSek === null
          ? `Area ${area.name} has no recorded grant; record grantedSek before allocating money to activities`
          : `The area's activities would be granted ${allocated} SEK together, more than the area's ${area.grantedSek} SEK`,
        { grantedSek: area.grantedSek, allocatedSek: allocated },
      );
    }
    await manager.update(Area, { id: area.id }, { allocatedSek: allocated });
    area.allocatedSek = allocated;
  }

  /** Names by id, for what people read. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    // Plain rows: two columns need no entities.
    const rows: { id: string; name: string }[] = await this.dataSource.query(AREA_NAMES, [ids]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** Every area of a phase with its municipalities, by name, for the national report. */
  async inPhase(kurPhase: KurPhase): Promise<AreaWithMunicipalities[]> {
    const areas = await this.dataSource
      .getRepository(Area)
      .find({ where: { kurPhase }, order: { name: 'ASC', id: 'ASC' } });
    const codes = await this.municipalityCodes(areas.map((area) => area.id));
    return areas.map((area) => ({ area, municipalityCodes: codes.get(area.id) ?? [] }));
  }

  async municipalityCodes(
    areaIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const codes = new Map<string, string[]>(areaIds.map((id) => [id, []]));
    if (areaIds.length === 0) return codes;
    // Plain rows: two columns need no entities.
    const rows: { area_id: string; municipality_code: string }[] = await manager.query(MUNICIPALITY_CODES, [areaIds]);
    for (const row of rows) codes.get(row.area_id)?.push(row.municipality_code);
    return codes;
  }

  /** Replaces an area's municipalities, touching only the rows that change. */
  async replaceMunicipalities(manager: EntityManager, areaId: string, codes: string[]): Promise<boolean> {
    const current = new Set(
      (await manager.getRepository(AreaMunicipality).findBy({ areaId })).map((row) => row.municipalityCode),
    );
    const wanted = new Set(codes);
    const removed = [...current].filter((code) => !wanted.has(code));
    const added = [...wanted].filter((code) => !current.has(code));
    if (removed.length)
      await manager.delete(
        AreaMunicipality,
        removed.map((municipalityCode) => ({ areaId, municipalityCode })),
      );
    if (added.length)
      await manager.insert(
        AreaMunicipality,
        added.map((municipalityCode) => ({ areaId, municipalityCode })),
      );
    return removed.length + added.length > 0;
  }

  /** Areas the caller may see: all (admin, service), their own (coordinator), or their members' (chief). */
  private async visibleAreas(caller: Caller, manager: EntityManager): Promise<SelectQueryBuilder<Area>> {
    const { sql, params } = inScope('area.id', await this.scope(caller, manager));
    return manager.getRepository(Area).createQueryBuilder('area').where(sql, params);
  }

  /** The areas the caller may see, for other modules to keep their rows to (by their area id). */
  async scope(caller: Caller, manager: EntityManager = this.dataSource.manager): Promise<IdScope> {
    if (seesAllAreas(caller)) return ALL;
    if (caller.role === Role.COORDINATOR) return only(caller.areaIds);
    const members = (await this.associations.currentMembers([caller.associationId as string])).get(
      caller.associationId as string,
    );
    if (!members?.length) return only([]);
    const links = await manager
      .getRepository(AreaMunicipality)
      .createQueryBuilder('link')
      .select('DISTINCT link.area_id', 'areaId')
      .where('link.municipality_code IN (:...members)', { members })
      .getRawMany<{ areaId: string }>();
    return only(links.map((link) => link.areaId));
  }

  /** For jobs: the area locked for update, with no caller scope. */
  async lockById(manager: EntityManager, id: string): Promise<Area> {
    const area = await manager.getRepository(Area).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!area) throw notFound('Area', id);
    return area;
  }

  /** GRANTED → FINISHED, with handover revision 1; the finish step has checked the work. */
  async markFinished(manager: EntityManager, area: Area, actor: string): Promise<Area> {
    checkTransition(area.status, AreaStatus.FINISHED, true);
    const before = { ...area };
    area.status = AreaStatus.FINISHED;
    area.handoverRevision = 1;
    const saved = await manager.save(area);
    await this.audit.record(manager, {
      actor,
      action: 'area.finished',
      entityType: 'area',
      entityId: area.id,
      changes: diff(before, saved, AUDITED),
    });
    return saved;
  }

  /** Finished areas whose current handover revision is not routed yet: what the handover sweep finds due. */
  unroutedAreas(): Promise<Pick<Area, 'id' | 'handoverRevision'>[]> {
    return this.dataSource
      .getRepository(Area)
      .createQueryBuilder('area')
      .select(['area.id', 'area.handoverRevision'])
      .where(`area.status = '${AreaStatus.FINISHED}' AND area.routed_revision < area.handover_revision`)
      .getMany();
  }

  /**
   * Routing's read of an area ($areaId, an SQL expression), for composing into its one read
   * statement: what a package says of the area, `routedRevision` (a revision at or below it needs
   * no routing) and `codes`, its municipalities (char(4)[], in code order).
   */
  routingAreaSql(areaId: string): string {
    return `SELECT area.id, area.name, area.kur_region AS "kurRegion", area.kur_phase AS "kurPhase",
        area.granted_sek AS "grantedSek", area.routed_revision AS "routedRevision",
        ARRAY(SELECT municipality_code FROM area_municipality
               WHERE area_id = area.id ORDER BY municipality_code) AS codes
      FROM area WHERE area.id = ${areaId}`;
  }

  /**
   * Routing's claim of revisions, for composing into the statement that writes their handovers:
   * `claims` names a relation of (area_id uuid, revision int), an area once. Marks each revision
   * routed and returns (id, revision) of each area claimed; an area whose revision (or a later one)
   * was routed already returns no row. It locks the area rows in id order first, an area before its
   * handovers, so two routings of one revision cannot both write and two batches never wait for
   * each other in a cycle. Not a change a client sees.
   */
  claimRoutingSql(claims: string): string {
    return `UPDATE area SET routed_revision = locked.revision
      FROM (SELECT claim.* FROM (SELECT area_id, revision FROM ${claims} ORDER BY area_id) AS claim
             CROSS JOIN LATERAL (SELECT FROM area WHERE id = claim.area_id OFFSET 0 FOR UPDATE) AS found) AS locked
     WHERE area.id = locked.area_id AND area.routed_revision < locked.revision
     RETURNING area.id, locked.revision`;
  }

  /** A finished area's plan changed: the next handover revision. */
  async nextHandoverRevision(manager: EntityManager, areaId: string): Promise<number> {
    const area = await this.lockById(manager, areaId);
    area.handoverRevision += 1;
    await manager.update(Area, { id: areaId }, { handoverRevision: area.handoverRevision });
    return area.handoverRevision;
  }
}

export function checkGrant(grantedSek: number | null, allocatedSek: number): void {
  if (grantedSek === null) {
    // No recorded grant means nothing may be allocated (see allocate), so it cannot be cleared under allocations.
    if (allocatedSek > 0) {
      throw ruleViolation(
        'ACTIVITY_COSTS_WITHIN_GRANT',
        `The area's activities are granted ${allocatedSek} SEK together; the grant cannot be cleared`,
      );
    }
    return;
  }
  if (grantedSek < 0 || grantedSek > MAX_GRANT_SEK) {
    throw ruleViolation('GRANT_LIMIT', `grantedSek must be between 0 and ${MAX_GRANT_SEK} SEK per area and phase`);
  }
  if (grantedSek < allocatedSek) {
    throw ruleViolation(
      'ACTIVITY_COSTS_WITHIN_GRANT',
      `The area's activities are granted ${allocatedSek} SEK together; the grant cannot be lowered to ${grantedSek} SEK`,
    );
  }
}

function checkTransition(from: AreaStatus, to: AreaStatus, finishing = false): void {
  if (to === AreaStatus.FINISHED && !finishing) {
    throw ruleViolation(
      'STATUS_TRANSITION',
      'An area is finished through POST /areas/{id}/finish, which checks its work',
    );
  }
  if (!AREA_TRANSITIONS[from].includes(to)) {
    throw ruleViolation('STATUS_TRANSITION', `An area cannot go from ${from} to ${to}`, { from, to });
  }
}
