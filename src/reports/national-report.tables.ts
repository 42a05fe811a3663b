import { ActivityStatus, ActivityType, HiredRole, SessionFormat } from '../activities/activity.enums';
import type { Activity } from '../activities/activity.entity';
import { AreaStatus, KurPhase, KurRegion } from '../areas/area.enums';
import { ALL_PRINCIPALS } from '../core/domain/principal';
import { FollowUpStatus, GoalStatus } from '../follow-ups/follow-up.enums';
import { HandoverStatus } from '../handovers/handover.enums';
import { ReadinessLesson, ReadinessResult } from '../readiness/readiness.rules';
import { Resolution, ResolutionCaseStatus } from '../resolutions/resolution.enums';
import { KUR2_REPORTED } from './final-report-figures';
import { NationalReportData } from './national-report.data';
import { REPORTED_COLUMNS, ReportCell, ReportTable, reportedFigure } from './report-table';
import { SWEDISH } from './swedish-labels';

type Reported = typeof KUR2_REPORTED | null;

const count = <T>(items: T[], test: (item: T) => boolean): number => items.filter(test).length;
const sum = (values: (number | null)[]): number => values.reduce<number>((total, value) => total + (value ?? 0), 0);

/** Every table of the national report, in the order the report reads. */
export function nationalReportTables(data: NationalReportData): ReportTable[] {
  const reported = data.phase === KurPhase.KUR2 ? KUR2_REPORTED : null;
  return [
    areasByRegion(data, reported),
    activityKinds(data, reported),
    userInvolvement(data, reported),
    prioUse(data),
    participants(data),
    sessions(data),
    hiredRoles(data),
    money(data),
    handovers(data),
    municipalities(data, reported),
    resolutions(data),
    readiness(data),
    followUp(data),
  ];
}

function areasByRegion({ areas }: NationalReportData, reported: Reported): ReportTable {
  const statuses = Object.values(AreaStatus);
  const row = (label: string, of: typeof areas, figure?: { value: number; source: string }) => ({
    region: label,
    total: of.length,
    ...Object.fromEntries(statuses.map((status) => [status, count(of, ({ area }) => area.status === status)])),
    ...reportedFigure(figure),
  });
  return {
    id: 'areas-by-region',
    title: 'Områden per KUR-region och status',
    columns: [
      { key: 'region', title: 'KUR-region' },
      { key: 'total', title: 'Områden' },
      ...statuses.map((status) => ({ key: status, title: SWEDISH.areaStatus[status] })),
      ...REPORTED_COLUMNS,
    ],
    rows: [
      ...Object.values(KurRegion).map((region) =>
        row(
          SWEDISH.region[region],
          areas.filter(({ area }) => area.kurRegion === region),
          reported?.areasByRegion[region],
        ),
      ),
      row('Hela landet', areas, reported?.areas),
    ],
  };
}

/** Which kinds an area has: by its activities as applied (all), or as carried out (COMPLETED). */
function kindSplit(activities: Activity[], areaIds: string[]) {
  const kinds = new Map<string, Set<ActivityType>>(areaIds.map((id) => [id, new Set()]));
  for (const activity of activities) kinds.get(activity.areaId)?.add(activity.type);
  const has = (set: Set<ActivityType>, type: ActivityType) => set.has(type);
  const sets = [...kinds.values()];
  return {
    knowledgeOnly: count(
      sets,
      (set) => has(set, ActivityType.KNOWLEDGE_INITIATIVE) && !has(set, ActivityType.COOPERATION_PLAN),
    ),
    planOnly: count(
      sets,
      (set) => has(set, ActivityType.COOPERATION_PLAN) && !has(set, ActivityType.KNOWLEDGE_INITIATIVE),
    ),
    both: count(sets, (set) => has(set, ActivityType.COOPERATION_PLAN) && has(set, ActivityType.KNOWLEDGE_INITIATIVE)),
  };
}

function activityKinds({ areas, activities }: NationalReportData, reported: Reported): ReportTable {
  const areaIds = areas.map(({ area }) => area.id);
  const applied = kindSplit(activities, areaIds);
  const carriedOut = kindSplit(
    activities.filter((activity) => activity.status === ActivityStatus.COMPLETED),
    areaIds,
  );
  const split = (key: keyof typeof applied, label: string) => ({
    measure: label,
    applied: applied[key],
    carriedOut: carriedOut[key],
    cancelled: null,
    ...reportedFigure(reported?.[key]),
  });
  const byType = (type: ActivityType) => {
    const of = activities.filter((activity) => activity.type === type);
    return {
      measure: SWEDISH.activityType[type],
      applied: of.length,
      carriedOut: count(of, (activity) => activity.status === ActivityStatus.COMPLETED),
      cancelled: count(of, (activity) => activity.status === ActivityStatus.CANCELLED),
      ...reportedFigure(),
    };
  };
  return {
    id: 'activity-kinds',
    title: 'Kunskapssatsningar och planer för samarbete, enligt ansökan och som genomförda',
    columns: [
      { key: 'measure', title: 'Mått' },
      { key: 'applied', title: 'Enligt ansökan' },
      { key: 'carriedOut', title: 'Genomförda' },
      { key: 'cancelled', title: 'Avbrutna' },
      ...REPORTED_COLUMNS,
    ],
    rows: [
      split('knowledgeOnly', 'Områden med endast kunskapssatsning'),
      split('planOnly', 'Områden med endast plan för samarbete'),
      split('both', 'Områden med båda'),
      byType(ActivityType.KNOWLEDGE_INITIATIVE),
      byType(ActivityType.COOPERATION_PLAN),
    ],
  };
}

function userInvolvement({ areas, activities }: NationalReportData, reported: Reported): ReportTable {
  const answers = areas.map(({ area }) => {
    const own = activities.filter((activity) => activity.areaId === area.id).map((a) => a.userInvolvement);
    const inPlanning = own.map((involvement) => involvement.userOrganisationsInPlanning);
    return {
      answer: inPlanning.includes(true) ? 'yes' : inPlanning.includes(null) || own.length === 0 ? 'unknown' : 'no',
      speakers: own.some((involvement) => involvement.livedExperienceSpeakers),
    };
  });
  const row = (measure: string, areasCount: number, figure?: { value: number; source: string }) => ({
    measure,
    areas: areasCount,
    ...reportedFigure(figure),
  });
  return {
    id: 'user-involvement',
    title: 'Brukarinflytande',
    columns: [{ key: 'measure', title: 'Mått' }, { key: 'areas', title: 'Områden' }, ...REPORTED_COLUMNS],
    rows: [
      row(
        'Brukarorganisationer i planeringen: ja',
        count(answers, (a) => a.answer === 'yes'),
        reported?.userMovementInPlanning,
      ),
      row(
        'Brukarorganisationer i planeringen: okänt',
        count(answers, (a) => a.answer === 'unknown'),
      ),
      row(
        'Brukarorganisationer i planeringen: nej',
        count(answers, (a) => a.answer === 'no'),
        reported?.userMovementNotInPlanning,
      ),
      row(
        'Föreläsare med egen erfarenhet',
        count(answers, (a) => a.speakers),
      ),
    ],
  };
}

function prioUse({ areas, activities, municipalitiesWithPrio }: NationalReportData): ReportTable {
  const using = (of: Activity[]) => new Set(of.filter((a) => a.usesPrioInventory).map((a) => a.areaId)).size;
  const codes = new Set(areas.flatMap(({ municipalityCodes }) => municipalityCodes));
  return {
    id: 'prio-use',
    title: 'Användning av PRIO-inventeringar',
    columns: [
      { key: 'measure', title: 'Mått' },
      { key: 'applied', title: 'Enligt ansökan' },
      { key: 'carriedOut', title: 'Genomförda' },
    ],
    rows: [
      {
        measure: 'Områden vars arbete bygger på PRIO-inventeringar',
        applied: using(activities),
        carriedOut: using(activities.filter((activity) => activity.status === ActivityStatus.COMPLETED)),
      },
      {
        measure: 'Områdenas kommuner med PRIO-data i tjänsten',
        applied: count([...codes], (code) => municipalitiesWithPrio.has(code)),
        carriedOut: null,
      },
    ],
  };
}

function participants({ activities }: NationalReportData): ReportTable {
  const rows: Record<string, ReportCell>[] = ALL_PRINCIPALS.map((principal) => {
    const counts = activities.flatMap((activity) => activity.participants.filter((p) => p.principal === principal));
    return {
      principal: SWEDISH.principal[principal],
      planned: sum(counts.map((p) => p.planned)),
      actual: sum(counts.map((p) => p.actual)),
    };
  });
  rows.push({
    principal: 'Planerat totalt där bara en totalsiffra finns',
    planned: sum(activities.map((activity) => activity.plannedParticipants)),
    actual: null,
  });
  return {
    id: 'participants',
    title: 'Deltagare per huvudman, planerade och faktiska',
    columns: [
      { key: 'principal', title: 'Huvudman' },
      { key: 'planned', title: 'Planerade' },
      { key: 'actual', title: 'Faktiska' },
    ],
    rows,
  };
}

function sessions({ activities }: NationalReportData): ReportTable {
  return {
    id: 'sessions',
    title: 'Tillfällen per format',
    columns: [
      { key: 'format', title: 'Format' },
      { key: 'sessions', title: 'Tillfällen' },
      { key: 'activities', title: 'Aktiviteter' },
    ],
    rows: Object.values(SessionFormat).map((format) => ({
      format: SWEDISH.sessionFormat[format],
      sessions: sum(activities.map((activity) => count(activity.sessions, (session) => session.format === format))),
      activities: count(activities, (activity) => activity.sessions.some((session) => session.format === format)),
    })),
  };
}

function hiredRoles({ activities }: NationalReportData): ReportTable {
  return {
    id: 'hired-roles',
    title: 'Inhyrda roller',
    columns: [
      { key: 'role', title: 'Roll' },
      { key: 'activities', title: 'Aktiviteter' },
    ],
    rows: Object.values(HiredRole).map((role) => ({
      role: SWEDISH.hiredRole[role],
      activities: count(activities, (activity) => activity.hiredRoles.includes(role)),
    })),
  };
}

function money({ phase, budget, activities }: NationalReportData): ReportTable {
  const period = (from: number, to: number) => (from === to ? String(from) : `${from}–${to}`);
  return {
    id: 'money',
    title: 'Medel per fas och år (kronor)',
    columns: [
      { key: 'period', title: 'Period' },
      { key: 'allottedSek', title: 'Avsatt' },
      { key: 'distributedSek', title: 'Fördelat' },
      { key: 'spentSek', title: 'Förbrukat' },
      { key: 'repaidSek', title: 'Återbetalt' },
      { key: 'source', title: 'Källa' },
    ],
    rows: [
      ...budget
        .filter((row) => row.kurPhase === phase)
        .map((row) => ({
          period: `${SWEDISH.phase[row.kurPhase]} ${period(row.yearFrom, row.yearTo)}`,
          allottedSek: row.allottedSek,
          distributedSek: row.distributedSek,
          spentSek: null,
          repaidSek: row.repaidSek,
          source: row.note ? `${row.source} (${row.note})` : row.source,
        })),
      {
        period: `${SWEDISH.phase[phase]}, aktiviteterna i tjänsten`,
        allottedSek: null,
        distributedSek: sum(activities.map((activity) => activity.grantedSek)),
        spentSek: sum(activities.map((activity) => activity.spentSek)),
        repaidSek: sum(activities.map((activity) => activity.repaidSek)),
        source: 'Beräknat från aktiviteternas belopp',
      },
    ],
  };
}

function handovers({ handovers: all, associationNames, municipalityNames }: NationalReportData): ReportTable {
  const statuses = Object.values(HandoverStatus);
  const recipientOf = (handover: (typeof all)[number]): string =>
    handover.associationId
      ? (associationNames.get(handover.associationId) ?? handover.associationId)
      : handover.recipientMunicipalityCode
        ? `Direkt till ${municipalityNames.get(handover.recipientMunicipalityCode) ?? handover.recipientMunicipalityCode}`
        : 'Utan mottagare (väntar på beslut)';
  const recipients = [...new Set(all.map(recipientOf))].sort((a, b) => a.localeCompare(b, 'sv'));
  const row = (recipient: string, of: typeof all) => ({
    recipient,
    total: of.length,
    ...Object.fromEntries(statuses.map((status) => [status, count(of, (handover) => handover.status === status)])),
  });
  return {
    id: 'handovers',
    title: 'Överlämningar per status och mottagare',
    columns: [
      { key: 'recipient', title: 'Mottagare' },
      { key: 'total', title: 'Överlämningar' },
      ...statuses.map((status) => ({ key: status, title: SWEDISH.handoverStatus[status] })),
    ],
    rows: [
      ...recipients.map((recipient) =>
        row(
          recipient,
          all.filter((handover) => recipientOf(handover) === recipient),
        ),
      ),
      row('Totalt', all),
    ],
  };
}

function municipalities(data: NationalReportData, reported: Reported): ReportTable {
  const { municipalityCount, coveredMunicipalityCount } = data;
  return {
    id: 'municipalities',
    title: 'Kommuner i samordningsförbund i dag',
    columns: [{ key: 'measure', title: 'Mått' }, { key: 'municipalities', title: 'Kommuner' }, ...REPORTED_COLUMNS],
    rows: [
      {
        measure: 'I ett samordningsförbund',
        municipalities: coveredMunicipalityCount,
        ...reportedFigure(reported?.municipalitiesInAssociation),
      },
      {
        measure: 'Utanför samordningsförbund',
        municipalities: municipalityCount - coveredMunicipalityCount,
        ...reportedFigure(reported?.municipalitiesOutsideAssociation),
      },
      { measure: 'Totalt', municipalities: municipalityCount, ...reportedFigure(reported?.municipalities) },
    ],
  };
}

function resolutions({ cases }: NationalReportData): ReportTable {
  const outcomes: [string, (c: (typeof cases)[number]) => boolean][] = [
    ['Väntar på beslut', (c) => c.status === ResolutionCaseStatus.OPEN],
    ...Object.values(Resolution).map(
      (resolution) =>
        [SWEDISH.resolution[resolution], (c: (typeof cases)[number]) => c.resolution === resolution] as [
          string,
          (c: (typeof cases)[number]) => boolean,
        ],
    ),
  ];
  return {
    id: 'resolutions',
    title: 'Kommuner utan förbund: ärenden per utfall',
    columns: [
      { key: 'outcome', title: 'Utfall' },
      { key: 'cases', title: 'Ärenden' },
    ],
    rows: [
      ...outcomes.map(([outcome, test]) => ({ outcome, cases: count(cases, test) })),
      { outcome: 'Totalt', cases: cases.length },
    ],
  };
}

function readiness({ readiness: assessed }: NationalReportData): ReportTable {
  const points = assessed.flat();
  return {
    id: 'readiness',
    title: 'Beredskap per lärdom i slutrapporten',
    columns: [
      { key: 'lesson', title: 'Lärdom' },
      { key: 'assessed', title: 'Bedömda punkter' },
      { key: 'passed', title: 'Uppfyllda' },
      { key: 'warned', title: 'Varningar' },
    ],
    rows: Object.values(ReadinessLesson).map((lesson) => {
      const of = points.filter((point) => point.lesson === lesson);
      return {
        lesson: SWEDISH.lesson[lesson],
        assessed: of.length,
        passed: count(of, (point) => point.result === ReadinessResult.PASS),
        warned: count(of, (point) => point.result === ReadinessResult.WARN),
      };
    }),
  };
}

function followUp({ followUps }: NationalReportData): ReportTable {
  return {
    id: 'follow-up',
    title: 'Uppföljning efter överlämning',
    columns: [
      { key: 'measure', title: 'Mått' },
      { key: 'count', title: 'Antal' },
    ],
    rows: [
      ...Object.values(FollowUpStatus).map((status) => ({
        measure: `Uppföljningar: ${SWEDISH.followUpStatus[status]}`,
        count: followUps.rounds[status],
      })),
      ...Object.values(GoalStatus).map((status) => ({
        measure: `Mål: ${SWEDISH.goalStatus[status]}`,
        count: followUps.goals[status],
      })),
    ],
  };
}
