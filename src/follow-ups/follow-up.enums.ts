/** SCHEDULED until its day, DUE from then, OVERDUE past the grace period, SUBMITTED once reported. */
export enum FollowUpStatus {
  SCHEDULED = 'SCHEDULED',
  DUE = 'DUE',
  OVERDUE = 'OVERDUE',
  SUBMITTED = 'SUBMITTED',
}

export enum GoalStatus {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  ACHIEVED = 'ACHIEVED',
  NOT_ACHIEVED = 'NOT_ACHIEVED',
  ABANDONED = 'ABANDONED',
}
