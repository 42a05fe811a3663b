export enum PlanKind {
  COOPERATION = 'COOPERATION',
  COMPETENCE_DEVELOPMENT = 'COMPETENCE_DEVELOPMENT',
}

export enum PlanStatus {
  DRAFT = 'DRAFT',
  AGREED = 'AGREED',
}

export enum ManagementLevel {
  TOP = 'TOP',
  MIDDLE = 'MIDDLE',
  OPERATIONAL = 'OPERATIONAL',
}
