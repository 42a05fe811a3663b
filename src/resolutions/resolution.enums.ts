export enum ResolutionCaseStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

export enum ResolutionCaseReason {
  /** No association covered the municipality on the handover date. */
  NO_ASSOCIATION = 'NO_ASSOCIATION',
  /** The recipient declined the handover. */
  DECLINED = 'DECLINED',
}

export enum Resolution {
  ASSIGN_ASSOCIATION = 'ASSIGN_ASSOCIATION',
  DIRECT_TO_MUNICIPALITY = 'DIRECT_TO_MUNICIPALITY',
  WAIVED = 'WAIVED',
}
