import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActivityWorkView } from '../activities/activity.views';
import { AreaView } from '../areas/area.views';
import { KurPhase, KurRegion } from '../areas/area.enums';
import { DATE, DATE_TIME, VersionedView } from '../core/http/api-docs';
import { CitedPlanView } from '../plans/plan.views';
import { PackageReadinessView, ReadinessView } from '../readiness/readiness.views';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { HandoverStatus, RecipientType } from './handover.enums';
import type { HandoverRow, HandoverWithPackageRow } from './handovers.service';

export class PackageRecipientView {
  @ApiProperty({ enum: RecipientType })
  type: RecipientType;

  @ApiPropertyOptional({ format: 'uuid' })
  associationId?: string;

  @ApiPropertyOptional({ description: "The registry's id of the association" })
  externalId?: string;

  @ApiProperty()
  name: string;

  @ApiPropertyOptional({ example: '0180' })
  municipalityCode?: string;
}

export class PackageAreaView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: KurRegion })
  kurRegion: KurRegion;

  @ApiProperty({ enum: KurPhase })
  kurPhase: KurPhase;

  @ApiProperty({ type: 'integer', nullable: true })
  grantedSek: number | null;
}

export class MunicipalityNameView {
  @ApiProperty({ example: '0180' })
  code: string;

  @ApiProperty({ example: 'Stockholm' })
  name: string;
}

export class PrioInventoryView {
  @ApiProperty({ example: '0180' })
  municipalityCode: string;

  @ApiProperty({ type: 'integer', example: 2014 })
  year: number;

  @ApiProperty({ type: 'integer' })
  inventoriedPersons: number;

  @ApiProperty({ type: 'integer' })
  unmetHousingNeeds: number;

  @ApiProperty({ type: 'integer' })
  unmetOccupationNeeds: number;

  @ApiProperty(DATE)
  analysisDate: string;

  @ApiProperty({ description: 'An employment strategy agreed with FK and AF' })
  employmentStrategyAgreed: boolean;

  @ApiProperty({ type: 'integer' })
  sourceRevision: number;
}

/** The handover package (schema version 2): what the recipient receives, frozen. */
export class HandoverPackageView {
  @ApiProperty({ type: 'integer', example: 2 })
  schemaVersion: number;

  @ApiProperty({ format: 'uuid' })
  handoverId: string;

  @ApiProperty({ type: 'integer' })
  revision: number;

  @ApiProperty({ type: PackageRecipientView })
  recipient: PackageRecipientView;

  @ApiProperty({ type: PackageAreaView })
  area: PackageAreaView;

  @ApiProperty({ type: [MunicipalityNameView] })
  municipalities: MunicipalityNameView[];

  @ApiProperty({ type: [ActivityWorkView] })
  activities: ActivityWorkView[];

  @ApiProperty({ type: [CitedPlanView] })
  plans: CitedPlanView[];

  @ApiProperty({ type: [PrioInventoryView], description: 'PRIO rows of exactly these municipalities' })
  prioInventories: PrioInventoryView[];

  @ApiProperty({ type: PackageReadinessView, description: "The area's readiness, so the receiver sees the gaps" })
  readiness: PackageReadinessView;

  @ApiProperty(DATE_TIME)
  generatedAt: string;
}

export class DirectEndpointView {
  @ApiProperty()
  url: string;

  @ApiProperty({ description: 'The signing secret itself is never shown' })
  secretSet: boolean;
}

export class HandoverRecipientView {
  @ApiProperty({ enum: RecipientType, nullable: true, description: 'null while it waits for a resolution' })
  type: RecipientType | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  associationId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'A municipality that receives it directly' })
  municipalityCode: string | null;

  @ApiPropertyOptional({ description: 'Direct recipients only' })
  contactName?: string;

  @ApiPropertyOptional({ description: 'Direct recipients only' })
  contactEmail?: string;

  @ApiPropertyOptional({ type: DirectEndpointView, nullable: true, description: 'Direct recipients only' })
  endpoint?: DirectEndpointView | null;
}

export class HandoverView extends VersionedView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  areaId: string;

  @ApiProperty({ type: 'integer' })
  revision: number;

  @ApiProperty({ enum: HandoverStatus })
  status: HandoverStatus;

  @ApiProperty({ type: HandoverRecipientView })
  recipient: HandoverRecipientView;

  @ApiProperty({ type: [String], example: ['0180'] })
  municipalityCodes: string[];

  @ApiProperty({ description: 'The webhook-id of every push of it' })
  deliveryId: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  deliveredAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  decisionReason: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  decidedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The revision that replaced it' })
  supersededById: string | null;
}

/** A handover with its package: what the feed serves. */
export class HandoverWithPackageView extends HandoverView {
  @ApiProperty({ type: HandoverPackageView, nullable: true, description: 'null until it has a recipient' })
  package: HandoverPackageView | null;
}

export class DeliveryAttemptView {
  @ApiProperty({ type: 'integer' })
  attemptNumber: number;

  @ApiProperty(DATE_TIME)
  at: Date;

  @ApiProperty()
  url: string;

  @ApiProperty({ type: 'integer', nullable: true })
  httpStatus: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Timeouts and network errors' })
  errorClass: string | null;

  @ApiProperty({ type: 'integer' })
  latencyMs: number;

  @ApiProperty({ type: String, nullable: true })
  responseExcerpt: string | null;

  @ApiProperty()
  outcome: string;
}

export class HandoverDetailView extends HandoverWithPackageView {
  @ApiProperty({ type: [DeliveryAttemptView] })
  attempts: DeliveryAttemptView[];
}

export class FinishView {
  @ApiProperty({ type: AreaView })
  area: AreaView;

  @ApiProperty({ type: [HandoverView], description: 'Its handovers so far (routing runs after a 202)' })
  handovers: HandoverView[];

  @ApiProperty({ type: ReadinessView, description: 'Warns, never blocks' })
  readiness: ReadinessView;
}

/** A handover as the API shows it; a direct recipient's endpoint secret only as "set". */
export const toHandoverView = (handover: HandoverRow): HandoverView => ({
  id: handover.id,
  areaId: handover.areaId,
  revision: handover.revision,
  status: handover.status,
  recipient: {
    type: handover.recipientType,
    associationId: handover.associationId,
    municipalityCode: handover.recipientMunicipalityCode,
    ...(handover.directRecipient
      ? {
          contactName: handover.directRecipient.contactName,
          contactEmail: handover.directRecipient.contactEmail,
          endpoint: handover.directRecipient.endpointUrl
            ? {
                url: handover.directRecipient.endpointUrl,
                secretSet: handover.directRecipient.endpointSecretEncrypted !== null,
              }
            : null,
        }
      : {}),
  },
  municipalityCodes: handover.municipalityCodes,
  deliveryId: handover.deliveryId,
  deliveredAt: handover.deliveredAt,
  decisionReason: handover.decisionReason,
  decidedAt: handover.decidedAt,
  lastError: handover.lastError,
  supersededById: handover.supersededById,
  version: handover.version,
  createdAt: handover.createdAt,
  updatedAt: handover.updatedAt,
});

export const toHandoverWithPackageView = (handover: HandoverWithPackageRow): HandoverWithPackageView => ({
  ...toHandoverView(handover),
  package: handover.package,
});

export const toAttemptView = (attempt: DeliveryAttempt): DeliveryAttemptView => ({
  attemptNumber: attempt.attemptNumber,
  at: attempt.createdAt,
  url: attempt.url,
  httpStatus: attempt.httpStatus,
  errorClass: attempt.errorClass,
  latencyMs: attempt.latencyMs,
  responseExcerpt: attempt.responseExcerpt,
  outcome: attempt.outcome,
});
