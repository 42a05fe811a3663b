import { ActivityStatus, ActivityType } from '../activities/activity.enums';
import { ManagementLevel, PlanKind } from '../plans/plan.enums';
import { CitedPlan } from '../plans/plans.service';

/** The final report's three lessons (004, "Lärdomar"), which the readiness points are grouped by. */
export enum ReadinessLesson {
  ANCHORING = 'ANCHORING',
  GOALS_AND_FOLLOW_UP = 'GOALS_AND_FOLLOW_UP',
  SHARED_RESPONSIBILITY = 'SHARED_RESPONSIBILITY',
}

export enum ReadinessResult {
  PASS = 'PASS',
  WARN = 'WARN',
}

export interface ReadinessPoint {
  id: string;
  lesson: ReadinessLesson;
  result: ReadinessResult;
  /** Swedish, for the people who act on it. */
  reason: string;
}

export interface ReadinessInput {
  activities: {
    id: string;
    title: string;
    type: ActivityType;
    status: ActivityStatus;
    userOrganisationsInPlanning: boolean | null;
  }[];
  plans: CitedPlan[];
  /** The area's municipalities (name) that no association covers today. */
  uncoveredMunicipalities: string[];
  municipalityCount: number;
}

const point = (id: string, lesson: ReadinessLesson, problems: string[], pass: string): ReadinessPoint => ({
  id,
  lesson,
  result: problems.length ? ReadinessResult.WARN : ReadinessResult.PASS,
  reason: problems.length ? problems.join(' ') : pass,
});

const planName = (plan: CitedPlan, titles: Map<string, string>): string =>
  `Planen för "${titles.get(plan.activityId) ?? plan.activityId}"`;

/**
 * How well an area's work meets the final report's lessons. It warns and never blocks: the
 * receiving association sees the gaps and can close them.
 */
export function assessReadiness(input: ReadinessInput): ReadinessPoint[] {
  const live = input.activities.filter((activity) => activity.status !== ActivityStatus.CANCELLED);
  const titles = new Map(input.activities.map((activity) => [activity.id, activity.title]));
  return [
    concreteGoals(live, input.plans, titles),
    topManagementSignOff(input.plans, titles),
    userOrganisations(live),
    followUpOwner(input.plans, titles),
    associationCoverage(input),
  ];
}

function concreteGoals(
  activities: ReadinessInput['activities'],
  plans: CitedPlan[],
  titles: Map<string, string>,
): ReadinessPoint {
  const problems: string[] = [];
  for (const activity of activities.filter((a) => a.type === ActivityType.COOPERATION_PLAN)) {
    const plan = plans.find((p) => p.activityId === activity.id && p.kind === PlanKind.COOPERATION);
    if (!plan) problems.push(`"${activity.title}" har ingen samverkansplan.`);
    else if (!plan.content.goals.some(isConcrete))
      problems.push(`${planName(plan, titles)} saknar ett mål med indikator, utgångsläge, målvärde och datum.`);
  }
  return point(
    'concrete-goals',
    ReadinessLesson.GOALS_AND_FOLLOW_UP,
    problems,
    'Varje samverkansplan har minst ett konkret mål med indikator, utgångsläge, målvärde och datum.',
  );
}

const isConcrete = (goal: CitedPlan['content']['goals'][number]): boolean =>
  [goal.indicator, goal.baseline, goal.target, goal.dueDate].every((field) => Boolean(field?.trim()));

function topManagementSignOff(plans: CitedPlan[], titles: Map<string, string>): ReadinessPoint {
  const missing = plans.filter((plan) => !plan.signOffs.some((s) => s.managementLevel === ManagementLevel.TOP));
  return point(
    'top-management-sign-off',
    ReadinessLesson.ANCHORING,
    missing.map((plan) => `${planName(plan, titles)} saknar förankring hos högsta ledningen (TOP).`),
    'Varje plan är förankrad hos minst en huvudmans högsta ledning.',
  );
}

function userOrganisations(activities: ReadinessInput['activities']): ReadinessPoint {
  const answers = activities.map((activity) => activity.userOrganisationsInPlanning);
  const problems = answers.includes(true)
    ? []
    : [
        answers.includes(null)
          ? 'Det är okänt om brukarorganisationer deltog i planeringen; ta reda på det och bjud in dem till uppföljningen.'
          : 'Inga brukarorganisationer deltog i planeringen; bjud in dem till uppföljningen.',
      ];
  return point(
    'user-organisations',
    ReadinessLesson.SHARED_RESPONSIBILITY,
    problems,
    'Brukarorganisationer deltog i planeringen.',
  );
}

function followUpOwner(plans: CitedPlan[], titles: Map<string, string>): ReadinessPoint {
  const problems: string[] = [];
  for (const plan of plans) {
    const followUp = plan.content.followUp;
    if (!followUp.owner?.trim()) problems.push(`${planName(plan, titles)} saknar en namngiven ägare av uppföljningen.`);
    if (!followUp.intervalMonths)
      problems.push(`${planName(plan, titles)} saknar ett uppföljningsintervall i hela månader.`);
  }
  return point(
    'follow-up-owner',
    ReadinessLesson.GOALS_AND_FOLLOW_UP,
    problems,
    'Varje plan har en namngiven ägare av uppföljningen och ett intervall i månader.',
  );
}

function associationCoverage(input: ReadinessInput): ReadinessPoint {
  const uncovered = input.uncoveredMunicipalities;
  return point(
    'association-coverage',
    ReadinessLesson.SHARED_RESPONSIBILITY,
    uncovered.length
      ? [
          `${uncovered.join(', ')} ingår inte i något samordningsförbund i dag; överlämningen väntar på ett beslut av en administratör.`,
        ]
      : [],
    `Alla ${input.municipalityCount} kommuner ingår i ett samordningsförbund.`,
  );
}
