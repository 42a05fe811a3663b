import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { TimeOrderedPageQuery } from '../core/http/pagination';
import { SyncKind, SyncStatus } from './sync-run.enums';

export class RequestSyncDto {
  @ApiProperty({ enum: SyncKind })
  @IsEnum(SyncKind)
  kind: SyncKind;
}

export class SyncRunQuery extends TimeOrderedPageQuery {
  @ApiPropertyOptional({ enum: SyncKind })
  @IsOptional()
  @IsEnum(SyncKind)
  kind?: SyncKind;

  @ApiPropertyOptional({ enum: SyncStatus })
  @IsOptional()
  @IsEnum(SyncStatus)
  status?: SyncStatus;
}
