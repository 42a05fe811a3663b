import { Injectable } from '@nestjs/common';
import { Transactions } from '../core/database/transactions';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Caller, Role, actorOf } from '../auth/principal';
import { Clock } from '../core/clock';
import { Page, paginate } from '../core/http/pagination';
import { notFound, ruleViolation } from '../core/domain/errors';
import { PlanContent } from '../plans/plan-content';
import { PlanLabel, PlansService } from '../plans/plans.service';
import { FollowUpQuery, FollowUpReportDto } from './follow-up.dto';
import { FollowUpStatus, GoalStatus } from './follow-up.enums';
import { FollowUpReport } from './follow-up-report.entity';
import { FollowUpRound } from './follow-up-round.entity';
import { followUpDates } from './follow-up-schedule';

/** A handed-over plan as the package cites it: what follow-up rounds are scheduled from. */
export interface HandedOverPlan {
  id: string;
  revision: number;
  content: PlanContent;
}

export interface FollowUpStatistics {
  rounds: Record<FollowUpStatus, number>;
  goals: Record<GoalStatus, number>;
}

/** A round in a list, with what people call its plan. */
export interface LabelledRound {
  round: FollowUpRound;
  label: PlanLabel | undefined;
}

export interface RoundDetail {
  round: FollowUpRound;
  content: PlanContent;
  /** Every report of the round, oldest first; the last one is in force. */
  reports: FollowUpReport[];
}

@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * On acceptance, in the acceptance's transaction: the association owes a round per plan every
   * interval from today until the plan's last goal falls due. Plans without an interval get none.
   */
  async schedule(
    manager: EntityManager,
    handover: { id: string; areaId: string; associationId: string },
    plans: HandedOverPlan[],
  ): Promise<number> {
    const acceptedOn = this.clock.today();
    const rows = plans.flatMap((plan) => {
      const interval = plan.content.followUp.intervalMonths;
      const lastDue = plan.content.goals
        .map((goal) => goal.dueDate)
        .sort()
        .at(-1);
      if (!interval || !lastDue) return [];
      return followUpDates(acceptedOn, interval, lastDue).map((dueOn, index) => ({
        handoverId: handover.id,
        associationId: handover.associationId,
        areaId: handover.areaId,
        planId: plan.id,
        planRevision: plan.revision,
        sequence: index + 1,
        dueOn,
      }));
    });
    if (rows.length) await manager.createQueryBuilder().insert().into(FollowUpRound).values(rows).orIgnore().execute();
    return rows.length;
  }

  async list(caller: Caller, filter: FollowUpQuery): Promise<Page<FollowUpRound>> {
    const query = this.dataSource.getRepository(FollowUpRound).createQueryBuilder('round');
    scope(caller, query);
    if (filter.status) query.andWhere('round.status = :status', { status: filter.status });
    if (filter.associationId)
      query.andWhere('round.association_id = :associationId', { associationId: filter.associationId });
    if (filter.areaId) query.andWhere('round.area_id = :areaId', { areaId: filter.areaId });
    if (filter.planId) query.andWhere('round.plan_id = :planId', { planId: filter.planId });
    return paginate(
      query,
      [
        { column: 'round.due_on', value: (round) => round.dueOn },
        { column: 'round.id', value: (round) => round.id },
      ],
      filter,
    );
  }

  /** A page of rounds with their plans' labels (kind, activity, area). */
  async labelled(page: Page<FollowUpRound>): Promise<Page<LabelledRound>> {
    const labels = await this.plans.labelsOf([...new Set(page.items.map((round) => round.planId))]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((round) => ({ round, label: labels.get(round.planId) })),
    };
  }

  async get(caller: Caller, id: string, manager: EntityManager = this.dataSource.manager): Promise<RoundDetail> {
    const round = await this.findVisible(caller, id, manager);
    return {
      round,
      content: await this.plans.revisionContent(round.planId, round.planRevision, manager),
      reports: await this.reportsOf([round.id], manager),
    };
  }

  /** The chief reports a round; a second report supersedes the first, and both are kept. */
  async report(caller: Caller, id: string, dto: FollowUpReportDto): Promise<RoundDetail> {
    return this.transactions.run(async (manager) => {
      await this.findVisible(caller, id, manager);
      const round = await manager
        .getRepository(FollowUpRound)
        .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (round.status === FollowUpStatus.SCHEDULED) {
        throw ruleViolation(
          'FOLLOW_UP_DUE',
          `This follow-up round falls due on ${round.dueOn}; it cannot be reported before`,
        );
      }
      const content = await this.plans.revisionContent(round.planId, round.planRevision, manager);
      assertCoversPlan(dto, content);
      const previous = (await this.reportsOf([round.id], manager)).at(-1);
      const report = await manager.save(
        manager.getRepository(FollowUpReport).create({
          roundId: round.id,
          supersedesId: previous?.id ?? null,
          submittedBy: actorOf(caller),
          goals: dto.goals.map((goal) => ({ ...goal, comment: goal.comment ?? null })),
          measures: dto.measures.map((measure) => ({ ...measure, comment: measure.comment ?? null })),
        }),
      );
      Object.assign(round, { status: FollowUpStatus.SUBMITTED, submittedAt: this.clock.now() });
      await manager.save(round);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: previous ? 'follow-up.corrected' : 'follow-up.reported',
        entityType: 'follow_up_round',
        entityId: round.id,
        changes: { reportId: [previous?.id ?? null, report.id] },
      });
      return { round, content, reports: await this.reportsOf([round.id], manager) };
    });
  }

  /** Every round of a plan the caller may see, with its reports, in date order. */
  async history(caller: Caller, planId: string): Promise<RoundDetail[]> {
    const query = this.dataSource
      .getRepository(FollowUpRound)
      .createQueryBuilder('round')
      .where('round.plan_id = :planId', { planId })
      .orderBy('round.due_on', 'ASC')
      .addOrderBy('round.id', 'ASC');
    scope(caller, query);
    const rounds = await query.getMany();
    if (!rounds.length) throw notFound('Follow-up history of plan', planId);
    const reports = await this.reportsOf(rounds.map((round) => round.id));
    const contents = new Map<number, PlanContent>();
    for (const revision of new Set(rounds.map((round) => round.planRevision)))
      contents.set(revision, await this.plans.revisionContent(planId, revision));
    return rounds.map((round) => ({
      round,
      content: contents.get(round.planRevision) as PlanContent,
      reports: reports.filter((report) => report.roundId === round.id),
    }));
  }

  /** The daily job: opens rounds that fell due and marks the unreported ones past the grace period. */
  async markDue(manager: EntityManager, today: string): Promise<string[]> {
    return this.transition(manager, FollowUpStatus.SCHEDULED, FollowUpStatus.DUE, 'due_on <= :day', today);
  }

  async markOverdue(manager: EntityManager, today: string, graceDays: number): Promise<string[]> {
    return this.transition(
      manager,
      FollowUpStatus.DUE,
      FollowUpStatus.OVERDUE,
      'due_on + :grace::int < :day::date',
      today,
      graceDays,
    );
  }

  /** Rounds by status and goals by the status reported in force, over these areas (national report). */
  async statistics(areaIds: string[]): Promise<FollowUpStatistics> {
    const rounds = areaIds.length
      ? await this.dataSource.getRepository(FollowUpRound).findBy({ areaId: In(areaIds) })
      : [];
    const reports = rounds.length ? await this.reportsOf(rounds.map((round) => round.id)) : [];
    const inForce = reports.filter((report) => !reports.some((other) => other.supersedesId === report.id));
    return {
      rounds: Object.fromEntries(
        Object.values(FollowUpStatus).map((status) => [
          status,
          rounds.filter((round) => round.status === status).length,
        ]),
      ) as Record<FollowUpStatus, number>,
      goals: Object.fromEntries(
        Object.values(GoalStatus).map((status) => [
          status,
          inForce.flatMap((report) => report.goals).filter((goal) => goal.status === status).length,
        ]),
      ) as Record<GoalStatus, number>,
    };
  }

  findById(id: string): Promise<FollowUpRound | null> {
    return this.dataSource.getRepository(FollowUpRound).findOneBy({ id });
  }

  private async transition(
    manager: EntityManager,
    from: FollowUpStatus,
    to: FollowUpStatus,
    when: string,
    day: string,
    grace = 0,
  ): Promise<string[]> {
    const result = await manager
      .createQueryBuilder()
      .update(FollowUpRound)
      .set({ status: to, version: () => 'version + 1' })
      .where('status = :from', { from })
      .andWhere(when, { day, grace })
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  private async findVisible(caller: Caller, id: string, manager: EntityManager): Promise<FollowUpRound> {
    const query = manager.getRepository(FollowUpRound).createQueryBuilder('round').where('round.id = :id', { id });
    scope(caller, query);
    const round = await query.getOne();
    if (!round) throw notFound('Follow-up round', id);
    return round;
  }

  private reportsOf(roundIds: string[], manager: EntityManager = this.dataSource.manager): Promise<FollowUpReport[]> {
    return manager
      .getRepository(FollowUpReport)
      .find({ where: { roundId: In(roundIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}

/** Chiefs see their association's rounds, coordinators their areas', administrators and services all. */
function scope(caller: Caller, query: SelectQueryBuilder<FollowUpRound>): void {
  if (caller.role === Role.ASSOCIATION_CHIEF)
    query.andWhere('round.association_id = :scopeAssociation', { scopeAssociation: caller.associationId });
  if (caller.role === Role.COORDINATOR) {
    if (caller.areaIds.length) query.andWhere('round.area_id IN (:...scopeAreas)', { scopeAreas: caller.areaIds });
    else query.andWhere('false');
  }
}

/** A report answers every goal and every measure of the plan exactly once. */
function assertCoversPlan(dto: FollowUpReportDto, content: PlanContent): void {
  const gaps = [
    ...coverage(
      'goals',
      dto.goals.map((goal) => goal.goalIndex),
      content.goals.length,
    ),
    ...coverage(
      'measures',
      dto.measures.map((measure) => measure.measureIndex),
      content.measures.length,
    ),
  ];
  if (gaps.length)
    throw ruleViolation('FOLLOW_UP_COMPLETE', `The report must answer every goal and measure once: ${gaps.join('; ')}`);
}

function coverage(what: string, indexes: number[], expected: number): string[] {
  const problems: string[] = [];
  const missing = [...Array(expected).keys()].filter((index) => !indexes.includes(index));
  const unknown = indexes.filter((index) => index >= expected);
  const twice = indexes.filter((index, position) => indexes.indexOf(index) !== position);
  if (missing.length) problems.push(`${what} ${missing.join(', ')} not answered`);
  if (unknown.length) problems.push(`${what} ${unknown.join(', ')} do not exist in the plan`);
  if (twice.length) problems.push(`${what} ${[...new Set(twice)].join(', ')} answered more than once`);
  return problems;
}
