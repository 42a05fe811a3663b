import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Principal } from '../core/domain/principal';
import { DATE, DATE_TIME } from '../core/http/api-docs';
import { FollowUpStatus, GoalStatus } from './follow-up.enums';
import { FollowUpReport } from './follow-up-report.entity';
import { FollowUpRound } from './follow-up-round.entity';
import { PlanKind } from '../plans/plan.enums';
import { LabelledRound, RoundDetail } from './follow-ups.service';

export class RoundView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  handoverId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  associationId: string | null;

  @ApiProperty({ format: 'uuid' })
  areaId: string;

  @ApiProperty({ format: 'uuid' })
  planId: string;

  @ApiProperty({ type: 'integer' })
  planRevision: number;

  @ApiProperty({ type: 'integer' })
  sequence: number;

  @ApiProperty(DATE)
  dueOn: string;

  @ApiProperty({ enum: FollowUpStatus })
  status: FollowUpStatus;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  submittedAt: string | null;

  @ApiProperty({ type: 'integer' })
  version: number;
}

/** A round in a list, with what people call its plan. */
export class RoundListItemView extends RoundView {
  @ApiProperty({ enum: PlanKind })
  planKind: PlanKind;

  @ApiProperty({ description: "The title of the plan's activity", example: 'Samverkansplan Norrort' })
  activityTitle: string;

  @ApiProperty({ example: 'Norrort med partner' })
  areaName: string;
}

export class GoalReportView {
  @ApiProperty({ type: 'integer', description: 'Position of the goal in the plan (0-based)' })
  goalIndex: number;

  @ApiProperty()
  currentValue: string;

  @ApiProperty({ enum: GoalStatus })
  status: GoalStatus;

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;
}

export class MeasureReportView {
  @ApiProperty({ type: 'integer', description: 'Position of the measure in the plan (0-based)' })
  measureIndex: number;

  @ApiProperty()
  done: boolean;

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;
}

export class FollowUpReportView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  submittedBy: string;

  @ApiProperty(DATE_TIME)
  submittedAt: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersedesId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersededById: string | null;

  @ApiProperty({ type: [GoalReportView] })
  goals: GoalReportView[];

  @ApiProperty({ type: [MeasureReportView] })
  measures: MeasureReportView[];
}

export class AskedGoalView {
  @ApiProperty({ type: 'integer' })
  index: number;

  @ApiProperty()
  statement: string;

  @ApiProperty()
  indicator: string;

  @ApiProperty()
  baseline: string;

  @ApiProperty()
  target: string;

  @ApiProperty(DATE)
  dueDate: string;
}

export class AskedMeasureView {
  @ApiProperty({ type: 'integer' })
  index: number;

  @ApiProperty()
  action: string;

  @ApiProperty({ enum: Principal })
  responsiblePrincipal: Principal;

  @ApiProperty(DATE)
  dueDate: string;
}

export class RoundDetailView extends RoundView {
  @ApiProperty({ type: [AskedGoalView], description: "The plan's goals this round asks about" })
  goals: AskedGoalView[];

  @ApiProperty({ type: [AskedMeasureView] })
  measures: AskedMeasureView[];

  @ApiProperty({ type: [FollowUpReportView], description: 'Every report, the one in force last' })
  reports: FollowUpReportView[];
}

/** What was reported for one goal in one round. */
export class GoalHistoryEntryView extends OmitType(GoalReportView, ['goalIndex'] as const) {
  @ApiProperty({ format: 'uuid' })
  roundId: string;

  @ApiProperty(DATE)
  dueOn: string;
}

export class GoalHistoryView extends AskedGoalView {
  @ApiProperty({ type: [GoalHistoryEntryView] })
  history: GoalHistoryEntryView[];
}

export class PlanHistoryView {
  @ApiProperty({ format: 'uuid' })
  planId: string;

  @ApiProperty({ type: [RoundDetailView] })
  rounds: RoundDetailView[];

  @ApiProperty({ type: [GoalHistoryView] })
  goals: GoalHistoryView[];
}

export const toRoundView = (round: FollowUpRound): RoundView => ({
  id: round.id,
  handoverId: round.handoverId,
  associationId: round.associationId,
  areaId: round.areaId,
  planId: round.planId,
  planRevision: round.planRevision,
  sequence: round.sequence,
  dueOn: round.dueOn,
  status: round.status,
  submittedAt: round.submittedAt?.toISOString() ?? null,
  version: round.version,
});

export const toRoundListItemView = ({ round, label }: LabelledRound): RoundListItemView => ({
  ...toRoundView(round),
  planKind: label?.kind ?? PlanKind.COOPERATION,
  activityTitle: label?.activityTitle ?? '',
  areaName: label?.areaName ?? '',
});

const toReportView = (report: FollowUpReport, all: FollowUpReport[]): FollowUpReportView => ({
  id: report.id,
  submittedBy: report.submittedBy,
  submittedAt: report.createdAt.toISOString(),
  supersedesId: report.supersedesId,
  supersededById: all.find((other) => other.supersedesId === report.id)?.id ?? null,
  goals: report.goals,
  measures: report.measures,
});

/** A round with what it asks (the plan's goals and measures) and every report, the one in force last. */
export const toRoundDetailView = ({ round, content, reports }: RoundDetail): RoundDetailView => ({
  ...toRoundView(round),
  goals: content.goals.map((goal, index) => ({ index, ...goal })),
  measures: content.measures.map((measure, index) => ({ index, ...measure })),
  reports: reports.map((report) => toReportView(report, reports)),
});

/** Per goal, the values reported in force round by round: how the plan went. */
export function toPlanHistoryView(planId: string, details: RoundDetail[]): PlanHistoryView {
  const latest = details.map((detail) => ({ round: detail.round, report: detail.reports.at(-1) }));
  const goals = details.at(-1)?.content.goals ?? [];
  return {
    planId,
    rounds: details.map(toRoundDetailView),
    goals: goals.map((goal, index) => ({
      index,
      statement: goal.statement,
      indicator: goal.indicator,
      baseline: goal.baseline,
      target: goal.target,
      dueDate: goal.dueDate,
      history: latest.flatMap(({ round, report }) => {
        const answer = report?.goals.find((entry) => entry.goalIndex === index);
        return answer
          ? [
              {
                roundId: round.id,
                dueOn: round.dueOn,
                currentValue: answer.currentValue,
                status: answer.status,
                comment: answer.comment,
              },
            ]
          : [];
      }),
    })),
  };
}
