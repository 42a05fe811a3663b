import { HiredRole, ActivityType, SessionFormat } from '../activities/activity.enums';
import { AreaStatus, KurPhase, KurRegion } from '../areas/area.enums';
import { Principal } from '../core/domain/principal';
import { FollowUpStatus, GoalStatus } from '../follow-ups/follow-up.enums';
import { HandoverStatus } from '../handovers/handover.enums';
import { ReadinessLesson } from '../readiness/readiness.rules';
import { Resolution } from '../resolutions/resolution.enums';

/** What people read for each code (DESIGN.md's glossary). */
export const SWEDISH = {
  phase: { [KurPhase.KUR1]: 'KUR 1', [KurPhase.KUR2]: 'KUR 2' } satisfies Record<KurPhase, string>,
  region: {
    [KurRegion.NORD]: 'Nord',
    [KurRegion.SYD]: 'Syd',
    [KurRegion.VAST]: 'Väst',
    [KurRegion.MITT]: 'Mitt',
    [KurRegion.STOCKHOLM]: 'Stockholm',
  } satisfies Record<KurRegion, string>,
  areaStatus: {
    [AreaStatus.DRAFT]: 'Utkast',
    [AreaStatus.GRANTED]: 'Beviljade',
    [AreaStatus.FINISHED]: 'Avslutade',
    [AreaStatus.REJECTED]: 'Avslagna',
    [AreaStatus.WITHDRAWN]: 'Återtagna',
  } satisfies Record<AreaStatus, string>,
  activityType: {
    [ActivityType.KNOWLEDGE_INITIATIVE]: 'Gemensamma kunskapssatsningar (aktiviteter)',
    [ActivityType.COOPERATION_PLAN]: 'Planer för samarbete (aktiviteter)',
  } satisfies Record<ActivityType, string>,
  principal: {
    [Principal.FK]: 'Försäkringskassan',
    [Principal.AF]: 'Arbetsförmedlingen',
    [Principal.MUNICIPALITY]: 'Kommunen',
    [Principal.REGION]: 'Regionen (landstinget)',
  } satisfies Record<Principal, string>,
  sessionFormat: {
    [SessionFormat.LECTURE]: 'Föreläsning',
    [SessionFormat.WORKSHOP]: 'Workshop',
    [SessionFormat.THEME_DAY]: 'Temadag',
    [SessionFormat.CONFERENCE]: 'Konferens',
    [SessionFormat.SEMINAR]: 'Seminarium',
    [SessionFormat.CASE_DISCUSSION]: 'Ärendedragning',
    [SessionFormat.MEETING]: 'Möte',
  } satisfies Record<SessionFormat, string>,
  hiredRole: {
    [HiredRole.LECTURER]: 'Föreläsare',
    [HiredRole.MODERATOR]: 'Moderator',
    [HiredRole.PROCESS_LEADER]: 'Processledare',
  } satisfies Record<HiredRole, string>,
  handoverStatus: {
    [HandoverStatus.PENDING_RESOLUTION]: 'Väntar på beslut',
    [HandoverStatus.READY]: 'Klar att leverera',
    [HandoverStatus.AWAITING_RECIPIENT]: 'Väntar på en mottagare som kan ta emot',
    [HandoverStatus.DELIVERED]: 'Levererad',
    [HandoverStatus.ACCEPTED]: 'Mottagen',
    [HandoverStatus.DECLINED]: 'Avböjd',
    [HandoverStatus.FAILED]: 'Misslyckad leverans',
    [HandoverStatus.WAIVED]: 'Avstådd',
  } satisfies Record<HandoverStatus, string>,
  resolution: {
    [Resolution.ASSIGN_ASSOCIATION]: 'Tilldelad ett samordningsförbund',
    [Resolution.DIRECT_TO_MUNICIPALITY]: 'Direkt till kommunen',
    [Resolution.WAIVED]: 'Avstått',
  } satisfies Record<Resolution, string>,
  lesson: {
    [ReadinessLesson.ANCHORING]: 'Förankring',
    [ReadinessLesson.GOALS_AND_FOLLOW_UP]: 'Tydligare mål och uppföljning',
    [ReadinessLesson.SHARED_RESPONSIBILITY]: 'Gemensamt ansvarstagande',
  } satisfies Record<ReadinessLesson, string>,
  followUpStatus: {
    [FollowUpStatus.SCHEDULED]: 'planerade',
    [FollowUpStatus.DUE]: 'att rapportera',
    [FollowUpStatus.OVERDUE]: 'försenade',
    [FollowUpStatus.SUBMITTED]: 'rapporterade',
  } satisfies Record<FollowUpStatus, string>,
  goalStatus: {
    [GoalStatus.ON_TRACK]: 'enligt plan',
    [GoalStatus.AT_RISK]: 'i riskzonen',
    [GoalStatus.ACHIEVED]: 'uppnådda',
    [GoalStatus.NOT_ACHIEVED]: 'inte uppnådda',
    [GoalStatus.ABANDONED]: 'övergivna',
  } satisfies Record<GoalStatus, string>,
};
