export enum HandoverStatus {
  PENDING_RESOLUTION = 'PENDING_RESOLUTION',
  READY = 'READY',
  /** Resolved to a municipality that nobody there can receive yet (no endpoint): never sent, never DELIVERED. */
  AWAITING_RECIPIENT = 'AWAITING_RECIPIENT',
  DELIVERED = 'DELIVERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  FAILED = 'FAILED',
  /** Its municipality's resolution case was waived: nobody takes it over. */
  WAIVED = 'WAIVED',
}

export enum RecipientType {
  ASSOCIATION = 'ASSOCIATION',
  MUNICIPALITY = 'MUNICIPALITY',
}

/** 2: the package carries the area's readiness assessment. */
export const PACKAGE_SCHEMA_VERSION = 2;
