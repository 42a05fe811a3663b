import type { components } from '../../api/generated';

type Schemas = components['schemas'];

export type RoundListItem = Schemas['RoundListItemView'];
export type RoundStatus = RoundListItem['status'];
export type RoundDetail = Schemas['RoundDetailView'];
export type GoalStatus = Schemas['GoalReportDto']['status'];
export type FollowUpReport = Schemas['FollowUpReportDto'];
export type PlanHistory = Schemas['PlanHistoryView'];

export const GOAL_STATUSES: GoalStatus[] = ['ON_TRACK', 'AT_RISK', 'ACHIEVED', 'NOT_ACHIEVED', 'ABANDONED'];

/** What people call the plan a round follows up: its kind and its activity, in its area. */
export const planLabel = (round: Pick<RoundListItem, 'activityTitle' | 'areaName'>): string =>
  `${round.activityTitle} (${round.areaName})`;
