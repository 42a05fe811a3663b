export enum ActivityType {
  KNOWLEDGE_INITIATIVE = 'KNOWLEDGE_INITIATIVE',
  COOPERATION_PLAN = 'COOPERATION_PLAN',
}

export enum ActivityStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export const ACTIVITY_TRANSITIONS: Readonly<Record<ActivityStatus, readonly ActivityStatus[]>> = {
  [ActivityStatus.PLANNED]: [ActivityStatus.IN_PROGRESS, ActivityStatus.CANCELLED],
  [ActivityStatus.IN_PROGRESS]: [ActivityStatus.COMPLETED, ActivityStatus.CANCELLED],
  [ActivityStatus.COMPLETED]: [],
  [ActivityStatus.CANCELLED]: [],
};

export enum SessionFormat {
  LECTURE = 'LECTURE',
  WORKSHOP = 'WORKSHOP',
  THEME_DAY = 'THEME_DAY',
  CONFERENCE = 'CONFERENCE',
  SEMINAR = 'SEMINAR',
  CASE_DISCUSSION = 'CASE_DISCUSSION',
  MEETING = 'MEETING',
}

export enum HiredRole {
  LECTURER = 'LECTURER',
  MODERATOR = 'MODERATOR',
  PROCESS_LEADER = 'PROCESS_LEADER',
}
