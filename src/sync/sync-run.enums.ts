export enum SyncKind {
  REGISTRY = 'REGISTRY',
  PRIO = 'PRIO',
  HANDOVER_SWEEP = 'HANDOVER_SWEEP',
}

export enum SyncTrigger {
  SCHEDULE = 'SCHEDULE',
  MANUAL = 'MANUAL',
}

export enum SyncStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
