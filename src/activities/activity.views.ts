import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Principal } from '../core/domain/principal';
import { DATE, VersionedView } from '../core/http/api-docs';
import { Activity } from './activity.entity';
import { ActivityStatus, ActivityType, HiredRole, SessionFormat } from './activity.enums';

export class ParticipantsView {
  @ApiProperty({ enum: Principal })
  principal: Principal;

  @ApiPropertyOptional({ type: 'integer', nullable: true })
  planned?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true })
  actual?: number | null;
}

export class SessionView {
  @ApiProperty({ enum: SessionFormat })
  format: SessionFormat;

  @ApiProperty({ ...DATE, nullable: true })
  date: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Eskilstuna stadshus' })
  place: string | null;
}

export class UserInvolvementView {
  @ApiProperty({ type: Boolean, nullable: true, description: 'null: the sources leave it open' })
  userOrganisationsInPlanning: boolean | null;

  @ApiProperty({ type: [String], example: ['NSPH'] })
  userOrganisations: string[];

  @ApiProperty({ description: 'Speakers with lived experience (attitydambassadörer)' })
  livedExperienceSpeakers: boolean;
}

/** An activity's own fields, as recorded and as handed over in a package. */
export class ActivityWorkView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  areaId: string;

  @ApiProperty({ enum: ActivityType })
  type: ActivityType;

  @ApiProperty({ example: 'Two joint conference days' })
  title: string;

  @ApiProperty({ type: [String] })
  themes: string[];

  @ApiProperty({ enum: ActivityStatus })
  status: ActivityStatus;

  @ApiProperty({ enum: Principal, isArray: true })
  planningPrincipals: Principal[];

  @ApiProperty({ ...DATE, nullable: true })
  periodStart: string | null;

  @ApiProperty({ ...DATE, nullable: true })
  periodEnd: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  plannedParticipants: number | null;

  @ApiProperty({ type: [ParticipantsView] })
  participants: ParticipantsView[];

  @ApiProperty({ type: [SessionView] })
  sessions: SessionView[];

  @ApiProperty({ enum: HiredRole, isArray: true })
  hiredRoles: HiredRole[];

  @ApiProperty({ type: UserInvolvementView })
  userInvolvement: UserInvolvementView;

  @ApiProperty()
  usesPrioInventory: boolean;

  @ApiProperty({ type: 'integer', description: 'Whole SEK of the area grant given to this activity' })
  grantedSek: number;

  @ApiProperty({ type: 'integer' })
  spentSek: number;

  @ApiProperty({ type: 'integer' })
  repaidSek: number;
}

export class ActivityView extends IntersectionType(ActivityWorkView, VersionedView) {
  @ApiProperty()
  hasAgreedCooperationPlan: boolean;
}

export const toActivityWorkView = (activity: Activity): ActivityWorkView => ({
  id: activity.id,
  areaId: activity.areaId,
  type: activity.type,
  title: activity.title,
  themes: activity.themes,
  status: activity.status,
  planningPrincipals: activity.planningPrincipals,
  periodStart: activity.periodStart,
  periodEnd: activity.periodEnd,
  plannedParticipants: activity.plannedParticipants,
  participants: activity.participants,
  sessions: activity.sessions,
  hiredRoles: activity.hiredRoles,
  userInvolvement: activity.userInvolvement,
  usesPrioInventory: activity.usesPrioInventory,
  grantedSek: activity.grantedSek,
  spentSek: activity.spentSek,
  repaidSek: activity.repaidSek,
});

export const toActivityView = (activity: Activity): ActivityView => ({
  ...toActivityWorkView(activity),
  hasAgreedCooperationPlan: activity.hasAgreedCooperationPlan,
  version: activity.version,
  createdAt: activity.createdAt,
  updatedAt: activity.updatedAt,
});
