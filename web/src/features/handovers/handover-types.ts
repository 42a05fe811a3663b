import type { components } from '../../api/generated';

type Schemas = components['schemas'];

export type HandoverListItem = Schemas['HandoverListItemView'];
export type HandoverStatus = HandoverListItem['status'];
export type HandoverDetail = Schemas['HandoverDetailView'];
export type HandoverPackage = Schemas['HandoverPackageView'];
export type PackageActivity = Schemas['ActivityWorkView'];
export type CitedPlan = Schemas['CitedPlanView'];
export type PrioInventory = Schemas['PrioInventoryView'];
export type DeliveryAttempt = Schemas['DeliveryAttemptView'];
export type ReadinessPoint = Schemas['ReadinessPointView'];

/** The statuses a person can filter the inbox by, in the order a handover passes them. */
export const INBOX_STATUSES: HandoverStatus[] = ['DELIVERED', 'ACCEPTED', 'DECLINED', 'READY', 'FAILED'];
