import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import { PageQuery, TimeOrderedPageQuery } from '../core/http/pagination';
import { HandoverStatus } from './handover.enums';

export class DecisionDto {
  @ApiProperty({ enum: ['ACCEPTED', 'DECLINED'] })
  @IsIn([HandoverStatus.ACCEPTED, HandoverStatus.DECLINED])
  decision: HandoverStatus.ACCEPTED | HandoverStatus.DECLINED;

  @ApiPropertyOptional({ description: 'Required when declining' })
  @ValidateIf((dto: DecisionDto) => dto.decision === HandoverStatus.DECLINED || dto.reason !== undefined)
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

/** By creation time: the inbox reads the newest first (order=desc). */
export class HandoverQuery extends TimeOrderedPageQuery {
  @ApiPropertyOptional({ enum: HandoverStatus })
  @IsOptional()
  @IsEnum(HandoverStatus)
  status?: HandoverStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  areaId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  associationId?: string;
}

export class FeedQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}
