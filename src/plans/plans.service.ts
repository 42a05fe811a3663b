import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityType } from '../activities/activity.enums';
import { AreasService } from '../areas/areas.service';
import { AreaStatus } from '../areas/area.enums';
import { AuditService } from '../audit/audit.service';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { Caller, actorOf } from '../auth/principal';
import { inScope } from '../core/database/scope';
import { ALL_PRINCIPALS, missingPrincipals } from '../core/domain/principal';
import { assertVersion } from '../core/http/etag';
import { Page, PageQuery, paginate } from '../core/http/pagination';
import { notFound, ruleViolation, whenNotFound } from '../core/domain/errors';
import { PlanContent } from './plan-content';
import { PlanRevision } from './plan-revision.entity';
import { PlanSignOff } from './plan-sign-off.entity';
import { CreatePlanDto, PlanQuery, SignOffDto } from './plan.dto';
import { Plan } from './plan.entity';
import { PlanKind, PlanStatus } from './plan.enums';
import { CitedPlanView, SignOffView, toSignOffView } from './plan.views';

export interface RevisionWithSignOffs {
  revision: PlanRevision;
  signOffs: PlanSignOff[];
}

export type CitedPlan = CitedPlanView;

/** One plan as citedPlansSql reads it. */
export interface CitedPlanRow {
  id: string;
  activityId: string;
  kind: PlanKind;
  agreedRevision: number | null;
  latestRevision: number;
  found: boolean;
  content: PlanContent;
  signOffs: SignOffView[];
}

/** What people call a plan: its kind, its activity's title and its area's name. */
export interface PlanLabel {
  kind: PlanKind;
  activityTitle: string;
  areaName: string;
}

export interface PlanDetail {
  plan: Plan;
  latest: RevisionWithSignOffs;
}

const KIND_FOR_ACTIVITY: Record<ActivityType, PlanKind> = {
  [ActivityType.COOPERATION_PLAN]: PlanKind.COOPERATION,
  [ActivityType.KNOWLEDGE_INITIATIVE]: PlanKind.COMPETENCE_DEVELOPMENT,
};

@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activities: ActivitiesService,
    private readonly areas: AreasService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async list(caller: Caller, filter: PlanQuery): Promise<Page<Plan>> {
    const { sql, params } = inScope('plan.activity_id', await this.activities.scope(caller));
    const query = this.dataSource.getRepository(Plan).createQueryBuilder('plan').where(sql, params);
    if (filter.activityId) query.andWhere('plan.activity_id = :activityId', { activityId: filter.activityId });
    return paginate(
      query,
      [
        { column: 'plan.created_at', value: (row) => row.createdAt },
        { column: 'plan.id', value: (row) => row.id },
      ],
      filter,
    );
  }

  async get(caller: Caller, id: string, manager: EntityManager = this.dataSource.manager): Promise<PlanDetail> {
    const plan = await this.findVisible(caller, id, manager);
    return { plan, latest: await this.revision(plan, plan.latestRevision, manager) };
  }

  async create(caller: Caller, dto: CreatePlanDto): Promise<PlanDetail> {
    return this.dataSource.transaction(async (manager) => {
      const activity = await this.activities.get(caller, dto.activityId, manager);
      if (KIND_FOR_ACTIVITY[activity.type] !== dto.kind) {
        throw ruleViolation(
          'PLAN_KIND_MATCHES_ACTIVITY',
          `A ${activity.type} activity has a ${KIND_FOR_ACTIVITY[activity.type]} plan, not ${dto.kind}`,
        );
      }
      await this.assertKnownReferences(dto.content, manager);
      const plan = await manager.save(
        manager.getRepository(Plan).create({
          activityId: activity.id,
          kind: dto.kind,
          status: PlanStatus.DRAFT,
          latestRevision: 1,
          agreedRevision: null,
        }),
      );
      const revision = await this.addRevision(manager, plan, 1, dto.content, caller);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'plan.created',
        entityType: 'plan',
        entityId: plan.id,
        changes: { activityId: activity.id, kind: dto.kind, revision: 1 },
      });
      return { plan, latest: { revision, signOffs: [] } };
    });
  }

  /** A new immutable revision; it needs all four sign-offs again to be agreed. */
  async revise(caller: Caller, id: string, version: number, content: PlanContent): Promise<PlanDetail> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.lockVisible(caller, id, version, manager);
      await this.assertKnownReferences(content, manager);
      plan.latestRevision += 1;
      plan.status = PlanStatus.DRAFT;
      const saved = await manager.save(plan);
      const revision = await this.addRevision(manager, saved, saved.latestRevision, content, caller);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'plan.revised',
        entityType: 'plan',
        entityId: id,
        changes: { revision: [saved.latestRevision - 1, saved.latestRevision] },
      });
      return { plan: saved, latest: { revision, signOffs: [] } };
    });
  }

  /** A principal signs the latest revision; the fourth signature makes the plan AGREED. */
  async signOff(caller: Caller, id: string, version: number, dto: SignOffDto): Promise<PlanDetail> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.lockVisible(caller, id, version, manager);
      if (dto.revision !== undefined && dto.revision !== plan.latestRevision) {
        throw ruleViolation('SIGN_LATEST_REVISION', `Only the latest revision (${plan.latestRevision}) can be signed`);
      }
      const { revision, signOffs } = await this.revision(plan, plan.latestRevision, manager);
      if (signOffs.some((signOff) => signOff.principal === dto.principal)) {
        throw ruleViolation(
          'ONE_SIGN_OFF_PER_PRINCIPAL',
          `${dto.principal} has already signed revision ${plan.latestRevision}`,
        );
      }
      const signOff = await manager.save(
        manager.getRepository(PlanSignOff).create({
          planRevisionId: revision.id,
          principal: dto.principal,
          signerName: dto.signerName,
          managementLevel: dto.managementLevel,
          signedOn: dto.signedOn,
        }),
      );
      const all = [...signOffs, signOff];
      const agreed = missingPrincipals(all.map((row) => row.principal)).length === 0;
      if (agreed) await this.markAgreed(manager, plan);
      plan.updatedAt = new Date();
      const saved = await manager.save(plan);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: agreed ? 'plan.agreed' : 'plan.signed',
        entityType: 'plan',
        entityId: id,
        changes: { revision: plan.latestRevision, principal: dto.principal, signerName: dto.signerName },
      });
      return { plan: saved, latest: { revision, signOffs: all } };
    });
  }

  listRevisions(caller: Caller, id: string, page: PageQuery): Promise<Page<PlanRevision>> {
    return this.findVisible(caller, id, this.dataSource.manager).then(() =>
      paginate(
        this.dataSource
          .getRepository(PlanRevision)
          .createQueryBuilder('revision')
          .where('revision.plan_id = :id', { id }),
        [{ column: 'revision.revision', value: (row) => row.revision }],
        page,
      ),
    );
  }

  async getRevision(caller: Caller, id: string, number: number): Promise<RevisionWithSignOffs> {
    const plan = await this.findVisible(caller, id, this.dataSource.manager);
    return this.revision(plan, number, this.dataSource.manager);
  }

  private async markAgreed(manager: EntityManager, plan: Plan): Promise<void> {
    plan.status = PlanStatus.AGREED;
    plan.agreedRevision = plan.latestRevision;
    if (plan.kind === PlanKind.COOPERATION) await this.activities.recordAgreedCooperationPlan(manager, plan.activityId);
    await this.handOverAgain(manager, plan);
  }

  /** A plan agreed anew after its area was handed over: the next handover revision supersedes the last. */
  private async handOverAgain(manager: EntityManager, plan: Plan): Promise<void> {
    const [activity] = await this.activities.byIds([plan.activityId], manager);
    const area = await this.areas.lockById(manager, activity.areaId);
    if (area.status !== AreaStatus.FINISHED) return;
    const revision = await this.areas.nextHandoverRevision(manager, area.id);
    await this.outbox.add(manager, JobName.ROUTE_AREA, { areaId: area.id, revision });
  }

  /** Labels by plan id, for lists people read: three lookups however many plans. */
  async labelsOf(planIds: string[]): Promise<Map<string, PlanLabel>> {
    if (planIds.length === 0) return new Map();
    const plans = await this.dataSource.getRepository(Plan).findBy({ id: In(planIds) });
    const activities = new Map(
      (await this.activities.byIds(plans.map((plan) => plan.activityId))).map((activity) => [activity.id, activity]),
    );
    const areaNames = await this.areas.namesOf([
      ...new Set([...activities.values()].map((activity) => activity.areaId)),
    ]);
    return new Map(
      plans.map((plan) => {
        const activity = activities.get(plan.activityId);
        const areaName = activity ? (areaNames.get(activity.areaId) ?? '') : '';
        return [plan.id, { kind: plan.kind, activityTitle: activity?.title ?? '', areaName }];
      }),
    );
  }

  /** The content of one revision, for whoever follows the plan up after handover. */
  async revisionContent(
    planId: string,
    number: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PlanContent> {
    const revision = await manager.getRepository(PlanRevision).findOneBy({ planId, revision: number });
    if (!revision) throw notFound('Plan revision', `${planId}/${number}`);
    return revision.content;
  }

  private async revision(plan: Plan, number: number, manager: EntityManager): Promise<RevisionWithSignOffs> {
    const revision = await manager.getRepository(PlanRevision).findOneBy({ planId: plan.id, revision: number });
    if (!revision) throw notFound('Plan revision', `${plan.id}/${number}`);
    const signOffs = await manager.getRepository(PlanSignOff).find({ where: { planRevisionId: revision.id } });
    signOffs.sort((a, b) => ALL_PRINCIPALS.indexOf(a.principal) - ALL_PRINCIPALS.indexOf(b.principal));
    return { revision, signOffs };
  }

  /** The needs analysis may only cite PRIO inventories of municipalities that exist (KNOWN_MUNICIPALITY). */
  private assertKnownReferences(content: PlanContent, manager: EntityManager): Promise<void> {
    const codes = [...new Set(content.needsAnalysis.prioReferences.map((reference) => reference.municipalityCode))];
    return this.municipalities.assertKnown(codes, manager);
  }

  private addRevision(manager: EntityManager, plan: Plan, number: number, content: PlanContent, caller: Caller) {
    return manager.save(
      manager
        .getRepository(PlanRevision)
        .create({ planId: plan.id, revision: number, content, createdBy: actorOf(caller) }),
    );
  }

  private async findVisible(caller: Caller, id: string, manager: EntityManager): Promise<Plan> {
    const plan = await manager.getRepository(Plan).findOneBy({ id });
    if (!plan) throw notFound('Plan', id);
    await this.activities.get(caller, plan.activityId, manager).catch(whenNotFound(() => notFound('Plan', id)));
    return plan;
  }

  private async lockVisible(caller: Caller, id: string, version: number, manager: EntityManager): Promise<Plan> {
    await this.findVisible(caller, id, manager);
    const plan = await manager
      .getRepository(Plan)
      .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
    assertVersion(plan.version, version, 'The plan');
    return plan;
  }

  /**
   * SQL for a caller's statement: a JSON array of the plans of the activities `activityIds` (a
   * subquery of the caller's) with their cited revisions' content and sign-offs, in the order
   * citedRevisions reads them; citedPlansOf makes them what citedRevisions answers.
   */
  citedPlansSql(activityIds: string): string {
    return `SELECT coalesce(json_agg(json_build_object(
        'id', plan.id, 'activityId', plan.activity_id, 'kind', plan.kind, 'agreedRevision', plan.agreed_revision,
        'latestRevision', plan.latest_revision, 'found', revision.id IS NOT NULL, 'content', revision.content,
        'signOffs', (SELECT coalesce(json_agg(json_build_object('principal', sign_off.principal,
                       'signerName', sign_off.signer_name, 'managementLevel', sign_off.management_level,
                       'signedOn', sign_off.signed_on)), '[]')
                       FROM plan_sign_off sign_off WHERE sign_off.plan_revision_id = revision.id)
      ) ORDER BY plan.created_at, plan.id), '[]')
      FROM plan
      LEFT JOIN plan_revision revision
        ON revision.plan_id = plan.id AND revision.revision = coalesce(plan.agreed_revision, plan.latest_revision)
     WHERE plan.activity_id IN (${activityIds})`;
  }

  /** What citedPlansSql read, as citedRevisions answers it (sign-offs in principal order). */
  citedPlansOf(rows: CitedPlanRow[]): CitedPlan[] {
    return rows.map((row) => {
      const number = row.agreedRevision ?? row.latestRevision;
      if (!row.found) throw notFound('Plan revision', `${row.id}/${number}`);
      const signOffs = [...row.signOffs].sort(
        (a, b) => ALL_PRINCIPALS.indexOf(a.principal) - ALL_PRINCIPALS.indexOf(b.principal),
      );
      return {
        id: row.id,
        activityId: row.activityId,
        kind: row.kind,
        status: row.agreedRevision ? PlanStatus.AGREED : PlanStatus.DRAFT,
        revision: number,
        content: row.content,
        signOffs,
      };
    });
  }

  /**
   * The plans of these activities at the revision a handover cites: the agreed one, or the
   * latest draft when none was agreed.
   */
  async citedRevisions(activityIds: string[], manager: EntityManager = this.dataSource.manager): Promise<CitedPlan[]> {
    if (activityIds.length === 0) return [];
    // One statement for all the plans, their cited revisions and those revisions' sign-offs.
    const plans: (Plan & { cited?: PlanRevision & { signOffs: PlanSignOff[] } })[] = await manager
      .getRepository(Plan)
      .createQueryBuilder('plan')
      .leftJoinAndMapOne(
        'plan.cited',
        PlanRevision,
        'revision',
        'revision.plan_id = plan.id AND revision.revision = coalesce(plan.agreed_revision, plan.latest_revision)',
      )
      .leftJoinAndMapMany('revision.signOffs', PlanSignOff, 'signOff', 'signOff.plan_revision_id = revision.id')
      .where('plan.activity_id IN (:...activityIds)', { activityIds })
      .orderBy('plan.created_at', 'ASC')
      .addOrderBy('plan.id', 'ASC')
      .getMany();
    return plans.map((plan) => {
      const number = plan.agreedRevision ?? plan.latestRevision;
      if (!plan.cited) throw notFound('Plan revision', `${plan.id}/${number}`);
      const signOffs = [...plan.cited.signOffs].sort(
        (a, b) => ALL_PRINCIPALS.indexOf(a.principal) - ALL_PRINCIPALS.indexOf(b.principal),
      );
      return {
        id: plan.id,
        activityId: plan.activityId,
        kind: plan.kind,
        status: plan.agreedRevision ? PlanStatus.AGREED : PlanStatus.DRAFT,
        revision: number,
        content: plan.cited.content,
        signOffs: signOffs.map(toSignOffView),
      };
    });
  }
}
