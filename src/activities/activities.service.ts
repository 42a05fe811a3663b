import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Area } from '../areas/area.entity';
import { AreaStatus } from '../areas/area.enums';
import { AreasService } from '../areas/areas.service';
import { AuditService, diff } from '../audit/audit.service';
import { Caller, actorOf } from '../auth/principal';
import { IdScope, inScope, only } from '../core/database/scope';
import { missingPrincipals, Principal } from '../core/domain/principal';
import { assertVersion } from '../core/http/etag';
import { Page, paginate } from '../core/http/pagination';
import { conflict, notFound, ruleViolation } from '../core/domain/errors';
import { pickDefined } from '../core/objects';
import { ActivityQuery, CreateActivityDto, UpdateActivityDto } from './activity.dto';
import { Activity } from './activity.entity';
import { ACTIVITY_TRANSITIONS, ActivityStatus, ActivityType } from './activity.enums';

const EDITABLE = [
  'title',
  'themes',
  'planningPrincipals',
  'periodStart',
  'periodEnd',
  'plannedParticipants',
  'participants',
  'sessions',
  'hiredRoles',
  'userInvolvement',
  'usesPrioInventory',
  'grantedSek',
  'spentSek',
  'repaidSek',
  'status',
] as const;

export type ImportedActivity = Pick<
  Activity,
  | 'areaId'
  | 'type'
  | 'title'
  | 'themes'
  | 'status'
  | 'planningPrincipals'
  | 'plannedParticipants'
  | 'sessions'
  | 'hiredRoles'
  | 'userInvolvement'
  | 'usesPrioInventory'
>;

const NO_USER_INVOLVEMENT = {
  userOrganisationsInPlanning: null,
  userOrganisations: [],
  livedExperienceSpeakers: false,
};

@Injectable()
export class ActivitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Caller, filter: ActivityQuery): Promise<Page<Activity>> {
    const { sql, params } = inScope('activity.area_id', await this.areas.scope(caller));
    const query = this.dataSource.getRepository(Activity).createQueryBuilder('activity').where(sql, params);
    if (filter.areaId) query.andWhere('activity.area_id = :areaId', { areaId: filter.areaId });
    if (filter.type) query.andWhere('activity.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('activity.status = :status', { status: filter.status });
    return paginate(
      query,
      [
        { column: 'activity.created_at', value: (row) => row.createdAt },
        { column: 'activity.id', value: (row) => row.id },
      ],
      filter,
    );
  }

  /** The activity if the caller may see its area; otherwise "not found". */
  async get(caller: Caller, id: string, manager: EntityManager = this.dataSource.manager): Promise<Activity> {
    const { sql, params } = inScope('activity.area_id', await this.areas.scope(caller, manager));
    const activity = await manager
      .getRepository(Activity)
      .createQueryBuilder('activity')
      .where(sql, params)
      .andWhere('activity.id = :id', { id })
      .getOne();
    if (!activity) throw notFound('Activity', id);
    return activity;
  }

  async create(caller: Caller, dto: CreateActivityDto): Promise<Activity> {
    checkPlanningPrincipals(dto.planningPrincipals);
    return this.dataSource.transaction(async (manager) => {
      const area = await this.openArea(caller, dto.areaId, manager);
      if (await manager.getRepository(Activity).existsBy({ areaId: area.id, title: dto.title })) {
        throw conflict(`Area ${area.name} already has an activity titled "${dto.title}"`);
      }
      const { areaId: _areaId, ...fields } = dto;
      const activity = manager.getRepository(Activity).create({
        ...fields,
        areaId: area.id,
        status: ActivityStatus.PLANNED,
        sessions: (dto.sessions ?? []).map((session) => ({
          format: session.format,
          date: session.date ?? null,
          place: session.place ?? null,
        })),
        userInvolvement: dto.userInvolvement ?? NO_USER_INVOLVEMENT,
        grantedSek: dto.grantedSek ?? 0,
        hasAgreedCooperationPlan: false,
      });
      await this.areas.allocate(manager, area, activity.grantedSek);
      const saved = await manager.save(activity);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'activity.created',
        entityType: 'activity',
        entityId: saved.id,
        changes: diff({}, saved, ['areaId', 'type', ...EDITABLE]),
      });
      return saved;
    });
  }

  async update(caller: Caller, id: string, version: number, dto: UpdateActivityDto): Promise<Activity> {
    return this.dataSource.transaction(async (manager) => {
      const { areaId } = await this.get(caller, id, manager);
      const area = await this.openArea(caller, areaId, manager);
      const activity = await manager
        .getRepository(Activity)
        .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      assertVersion(activity.version, version, 'The activity');
      if (dto.planningPrincipals) checkPlanningPrincipals(dto.planningPrincipals);
      if (dto.status !== undefined && dto.status !== activity.status) checkTransition(activity, dto.status);
      if (dto.title !== undefined && dto.title !== activity.title) {
        if (await manager.getRepository(Activity).existsBy({ areaId, title: dto.title })) {
          throw conflict(`Area ${area.name} already has an activity titled "${dto.title}"`);
        }
      }
      const before = { ...activity };
      Object.assign(activity, pickDefined(dto, [...EDITABLE]));
      if (dto.sessions)
        activity.sessions = dto.sessions.map((s) => ({
          format: s.format,
          date: s.date ?? null,
          place: s.place ?? null,
        }));
      await this.areas.allocate(manager, area, activity.grantedSek - before.grantedSek);
      const saved = await manager.save(activity);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action:
          dto.status && dto.status !== before.status ? `activity.${dto.status.toLowerCase()}` : 'activity.updated',
        entityType: 'activity',
        entityId: id,
        changes: diff(before, saved, [...EDITABLE]),
      });
      return saved;
    });
  }

  /** Creates or updates an activity by (area, title) from an import, writing only what differs. */
  async upsertImported(manager: EntityManager, fields: ImportedActivity, actor: string): Promise<boolean> {
    const repository = manager.getRepository(Activity);
    const existing = await repository.findOneBy({ areaId: fields.areaId, title: fields.title });
    // The import sets the status of a new activity only; later progress made through the API stays.
    if (existing) fields = { ...fields, status: existing.status };
    const changes = diff(existing ?? {}, { ...existing, ...fields }, ['type', ...EDITABLE]);
    if (Object.keys(changes).length === 0) return false;
    const saved = await manager.save(
      Object.assign(existing ?? repository.create({ hasAgreedCooperationPlan: false }), fields),
    );
    await this.audit.record(manager, {
      actor,
      action: existing ? 'activity.updated' : 'activity.created',
      entityType: 'activity',
      entityId: saved.id,
      changes,
    });
    return true;
  }

  /** Called by the plans module, inside its transaction, when a cooperation plan is agreed. */
  async recordAgreedCooperationPlan(manager: EntityManager, activityId: string): Promise<void> {
    await manager.update(
      Activity,
      { id: activityId, hasAgreedCooperationPlan: false },
      { hasAgreedCooperationPlan: true },
    );
  }

  /** Locks the activity's area; its work can change only while the area is DRAFT or GRANTED. */
  private async openArea(caller: Caller, areaId: string, manager: EntityManager): Promise<Area> {
    const area = await this.areas.findVisible(caller, areaId, manager, true);
    if (area.status !== AreaStatus.DRAFT && area.status !== AreaStatus.GRANTED) {
      throw ruleViolation('AREA_OPEN', `Area ${area.name} is ${area.status}; its activities can no longer change`);
    }
    return area;
  }

  /** The activities the caller may see (those of the areas it may see), for the plans module. */
  async scope(caller: Caller): Promise<IdScope> {
    const areas = await this.areas.scope(caller);
    if (areas.all) return areas;
    const { sql, params } = inScope('activity.area_id', areas);
    const rows = await this.dataSource
      .getRepository(Activity)
      .createQueryBuilder('activity')
      .select('activity.id')
      .where(sql, params)
      .getMany();
    return only(rows.map((row) => row.id));
  }

  byIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Activity[]> {
    return manager.getRepository(Activity).findBy({ id: In(ids) });
  }

  /** Every activity of these areas, for the national report. */
  forAreas(areaIds: string[]): Promise<Activity[]> {
    if (areaIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(Activity)
      .find({ where: { areaId: In(areaIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * SQL for a caller's statement: one row per activity of the area `areaId` (SQL over the caller's
   * parameters), its `id`, `created_at` and `work` (the ActivityWorkView as JSON, as forArea and
   * toActivityWorkView give it), so routing reads the area's work with its other reads in one statement.
   */
  workRowsSql(areaId: string): string {
    return `SELECT activity.id, activity.created_at, json_build_object(
        'id', activity.id, 'areaId', activity.area_id, 'type', activity.type, 'title', activity.title,
        'themes', activity.themes, 'status', activity.status, 'planningPrincipals', activity.planning_principals,
        'periodStart', activity.period_start, 'periodEnd', activity.period_end,
        'plannedParticipants', activity.planned_participants, 'participants', activity.participants,
        'sessions', activity.sessions, 'hiredRoles', activity.hired_roles, 'userInvolvement', activity.user_involvement,
        'usesPrioInventory', activity.uses_prio_inventory, 'grantedSek', activity.granted_sek,
        'spentSek', activity.spent_sek, 'repaidSek', activity.repaid_sek) AS work
      FROM activity WHERE activity.area_id = ${areaId}`;
  }

  /** Every activity of an area, for finishing and for the handover package. */
  forArea(areaId: string, manager: EntityManager = this.dataSource.manager): Promise<Activity[]> {
    return manager.getRepository(Activity).find({ where: { areaId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}

function checkPlanningPrincipals(principals: Principal[]): void {
  const missing = missingPrincipals(principals);
  if (missing.length > 0) {
    throw ruleViolation(
      'ALL_PRINCIPALS_IN_PLANNING',
      `All four principals must take part in planning; missing: ${missing.join(', ')}`,
      {
        missing,
      },
    );
  }
}

function checkTransition(activity: Activity, to: ActivityStatus): void {
  if (!ACTIVITY_TRANSITIONS[activity.status].includes(to)) {
    throw ruleViolation('STATUS_TRANSITION', `An activity cannot go from ${activity.status} to ${to}`, {
      from: activity.status,
      to,
    });
  }
  if (
    to === ActivityStatus.COMPLETED &&
    activity.type === ActivityType.COOPERATION_PLAN &&
    !activity.hasAgreedCooperationPlan
  ) {
    throw ruleViolation(
      'COOPERATION_PLAN_AGREED',
      'A cooperation-plan activity completes only when its cooperation plan is AGREED (signed by all four principals)',
    );
  }
}
