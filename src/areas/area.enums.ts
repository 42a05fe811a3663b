/** Försäkringskassan's five regions that KUR reported by. */
export enum KurRegion {
  NORD = 'NORD',
  SYD = 'SYD',
  VAST = 'VAST',
  MITT = 'MITT',
  STOCKHOLM = 'STOCKHOLM',
}

export enum KurPhase {
  KUR1 = 'KUR1',
  KUR2 = 'KUR2',
}

export enum AreaStatus {
  DRAFT = 'DRAFT',
  GRANTED = 'GRANTED',
  FINISHED = 'FINISHED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

/** The arrows of DESIGN.md; FINISHED is reached only through the finish endpoint. */
export const AREA_TRANSITIONS: Readonly<Record<AreaStatus, readonly AreaStatus[]>> = {
  [AreaStatus.DRAFT]: [AreaStatus.GRANTED, AreaStatus.REJECTED, AreaStatus.WITHDRAWN],
  [AreaStatus.GRANTED]: [AreaStatus.FINISHED, AreaStatus.WITHDRAWN],
  [AreaStatus.FINISHED]: [],
  [AreaStatus.REJECTED]: [],
  [AreaStatus.WITHDRAWN]: [],
};

/** The most KUR granted one area in one phase (final report, KUR 2). */
export const MAX_GRANT_SEK = 500_000;
