import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Principal } from '../core/domain/principal';
import { DATE, DATE_TIME, VersionedView } from '../core/http/api-docs';
import { PlanContent } from './plan-content';
import { PlanContentDto } from './plan.dto';
import { ManagementLevel, PlanKind, PlanStatus } from './plan.enums';
import { PlanRevision } from './plan-revision.entity';
import { PlanSignOff } from './plan-sign-off.entity';
import { PlanDetail, RevisionWithSignOffs } from './plans.service';
import { Plan } from './plan.entity';

export class SignOffView {
  @ApiProperty({ enum: Principal })
  principal: Principal;

  @ApiProperty({ example: 'Lena Holm, områdeschef' })
  signerName: string;

  @ApiProperty({ enum: ManagementLevel })
  managementLevel: ManagementLevel;

  @ApiProperty(DATE)
  signedOn: string;
}

/** What identifies a plan, in the API and in a handover package. */
export class PlanBaseView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  activityId: string;

  @ApiProperty({ enum: PlanKind })
  kind: PlanKind;

  @ApiProperty({ enum: PlanStatus })
  status: PlanStatus;
}

export class PlanSummaryView extends IntersectionType(PlanBaseView, VersionedView) {
  @ApiProperty({ type: 'integer' })
  latestRevision: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The revision all four principals signed' })
  agreedRevision: number | null;
}

export class RevisionView {
  @ApiProperty({ type: 'integer' })
  revision: number;

  @ApiProperty({ type: PlanContentDto })
  content: PlanContent;

  @ApiProperty({ description: 'Who wrote it (role:subject)' })
  createdBy: string;

  @ApiProperty(DATE_TIME)
  createdAt: Date;

  @ApiPropertyOptional({ type: [SignOffView], description: 'On a single revision: who signed it' })
  signOffs?: SignOffView[];
}

export class PlanView extends PlanSummaryView {
  @ApiProperty({ type: RevisionView, description: 'The latest revision with its sign-offs' })
  latest: RevisionView;
}

/** A plan as cited by a handover package: the agreed revision (or the latest) with its sign-offs. */
export class CitedPlanView extends PlanBaseView {
  @ApiProperty({ type: 'integer' })
  revision: number;

  @ApiProperty({ type: PlanContentDto })
  content: PlanContent;

  @ApiProperty({ type: [SignOffView] })
  signOffs: SignOffView[];
}

export const toPlanSummaryView = (plan: Plan): PlanSummaryView => ({
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

export const toSignOffView = (signOff: PlanSignOff): SignOffView => ({
  principal: signOff.principal,
  signerName: signOff.signerName,
  managementLevel: signOff.managementLevel,
  signedOn: signOff.signedOn,
});

export const toRevisionView = (revision: PlanRevision, signOffs?: PlanSignOff[]): RevisionView => ({
  revision: revision.revision,
  content: revision.content,
  createdBy: revision.createdBy,
  createdAt: revision.createdAt,
  ...(signOffs ? { signOffs: signOffs.map(toSignOffView) } : {}),
});

export const toPlanView = ({ plan, latest }: PlanDetail): PlanView => ({
  ...toPlanSummaryView(plan),
  latest: toRevisionWithSignOffsView(latest),
});

export const toRevisionWithSignOffsView = ({ revision, signOffs }: RevisionWithSignOffs): RevisionView =>
  toRevisionView(revision, signOffs);
