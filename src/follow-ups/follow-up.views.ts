import { FollowUpReport } from './follow-up-report.entity';
import { FollowUpRound } from './follow-up-round.entity';
import { RoundDetail } from './follow-ups.service';

export const toRoundView = (round: FollowUpRound) => ({
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

const toReportView = (report: FollowUpReport, all: FollowUpReport[]) => ({
  id: report.id,
  submittedBy: report.submittedBy,
  submittedAt: report.createdAt.toISOString(),
  supersedesId: report.supersedesId,
  supersededById: all.find((other) => other.supersedesId === report.id)?.id ?? null,
  goals: report.goals,
  measures: report.measures,
});

/** A round with what it asks (the plan's goals and measures) and every report, the one in force last. */
export const toRoundDetailView = ({ round, content, reports }: RoundDetail) => ({
  ...toRoundView(round),
  goals: content.goals.map((goal, index) => ({ index, ...goal })),
  measures: content.measures.map((measure, index) => ({ index, ...measure })),
  reports: reports.map((report) => toReportView(report, reports)),
});

/** Per goal, the values reported in force round by round: how the plan went. */
export function toPlanHistoryView(planId: string, details: RoundDetail[]) {
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
