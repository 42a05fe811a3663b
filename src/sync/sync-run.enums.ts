export enum SyncKind {
  REGISTRY = 'REGISTRY',
  PRIO = 'PRIO',
  HANDOVER_SWEEP = 'HANDOVER_SWEEP',
  /** Opens follow-up rounds that fell due and marks overdue ones. */
  FOLLOW_UP = 'FOLLOW_UP',
}

export enum SyncTrigger {
  SCHEDULE = 'SCHEDULE',
  MANUAL = 'MANUAL',
}

export enum SyncStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  /** Finished, but some records were rejected (see details.rejected) and left as they were. */
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
}
