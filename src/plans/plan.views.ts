import { PlanRevision } from './plan-revision.entity';
import { PlanSignOff } from './plan-sign-off.entity';
import { PlanDetail, RevisionWithSignOffs } from './plans.service';
import { Plan } from './plan.entity';

export const toPlanSummaryView = (plan: Plan) => ({
  id: plan.id,
  activityId: plan.activityId,
  kind: plan.kind,
  status: plan.status,
  latestRevision: plan.latestRevision,
  agreedRevision: plan.agreedRevision,
  version: plan.version,
  createdAt: plan.createdAt,
  updatedAt: plan.updatedAt,
});

export const toSignOffView = (signOff: PlanSignOff) => ({
  principal: signOff.principal,
  signerName: signOff.signerName,
  managementLevel: signOff.managementLevel,
  signedOn: signOff.signedOn,
});

export const toRevisionView = (revision: PlanRevision, signOffs?: PlanSignOff[]) => ({
  revision: revision.revision,
  content: revision.content,
  createdBy: revision.createdBy,
  createdAt: revision.createdAt,
  ...(signOffs ? { signOffs: signOffs.map(toSignOffView) } : {}),
});

export const toPlanView = ({ plan, latest }: PlanDetail) => ({
  ...toPlanSummaryView(plan),
  latest: toRevisionWithSignOffsView(latest),
});

export const toRevisionWithSignOffsView = ({ revision, signOffs }: RevisionWithSignOffs) =>
  toRevisionView(revision, signOffs);
