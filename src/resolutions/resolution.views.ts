import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '../core/http/api-docs';
import { ResolutionCase } from './resolution-case.entity';
import { Resolution, ResolutionCaseReason, ResolutionCaseStatus } from './resolution.enums';

export class ResolutionCaseView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  handoverId: string;

  @ApiProperty({ format: 'uuid', description: "The handover's area" })
  areaId: string;

  @ApiProperty({ example: 'Södertörn med partner' })
  areaName: string;

  @ApiProperty({ example: '0180' })
  municipalityCode: string;

  @ApiProperty({ example: 'Stockholm' })
  municipalityName: string;

  @ApiProperty({ example: '01' })
  countyCode: string;

  @ApiProperty({ example: 'Stockholms län' })
  countyName: string;

  @ApiProperty({ enum: ResolutionCaseReason })
  reason: ResolutionCaseReason;

  @ApiProperty({ type: String, nullable: true, description: 'DECLINED: the chief’s reason' })
  reasonDetail: string | null;

  @ApiProperty({ enum: ResolutionCaseStatus })
  status: ResolutionCaseStatus;

  @ApiProperty({ enum: Resolution, nullable: true })
  resolution: Resolution | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What was decided (association, direct recipient with `secretSet`, or the waiver reason)',
  })
  resolutionDetail: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  resolvedBy: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  resolvedAt: Date | null;

  @ApiProperty(DATE_TIME)
  createdAt: Date;

  @ApiProperty({ type: 'integer' })
  version: number;
}

/** The names people read beside a case's codes and ids. */
export interface CaseNames {
  areas: Map<string, string>;
  municipalities: Map<string, string>;
  counties: Map<string, string>;
}

/** A case as administrators see it, with names; a direct endpoint's secret only as "set". */
export const toResolutionCaseView = (found: ResolutionCase, names: CaseNames): ResolutionCaseView => {
  const { endpointSecretEncrypted, ...detail } = found.resolutionDetail ?? {};
  return {
    id: found.id,
    handoverId: found.handoverId,
    areaId: found.areaId,
    areaName: names.areas.get(found.areaId) ?? found.areaId,
    municipalityCode: found.municipalityCode,
    municipalityName: names.municipalities.get(found.municipalityCode) ?? found.municipalityCode,
    countyCode: found.countyCode,
    countyName: names.counties.get(found.countyCode) ?? found.countyCode,
    reason: found.reason,
    reasonDetail: found.reasonDetail,
    status: found.status,
    resolution: found.resolution,
    resolutionDetail: found.resolutionDetail
      ? { ...detail, ...(endpointSecretEncrypted ? { secretSet: true } : {}) }
      : null,
    resolvedBy: found.resolvedBy,
    resolvedAt: found.resolvedAt,
    createdAt: found.createdAt,
    version: found.version,
  };
};
