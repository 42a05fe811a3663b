import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { KurPhase } from '../areas/area.enums';
import { IsOptionalNotNull } from '../core/http/validation';

export const REPORT_TABLE_IDS = [
  'areas-by-region',
  'activity-kinds',
  'user-involvement',
  'prio-use',
  'participants',
  'sessions',
  'hired-roles',
  'money',
  'handovers',
  'municipalities',
  'resolutions',
  'readiness',
  'follow-up',
] as const;

export class NationalReportQuery {
  @ApiProperty({ enum: KurPhase, example: KurPhase.KUR2 })
  @IsEnum(KurPhase)
  phase: KurPhase;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv (or Accept: text/csv) gives one table, named by `table`',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ enum: REPORT_TABLE_IDS, description: 'The table to give as CSV' })
  @IsOptional()
  @IsIn(REPORT_TABLE_IDS)
  table?: (typeof REPORT_TABLE_IDS)[number];
}

const MAX_SEK = 2_147_483_647;

/** An administrator corrects a programme-budget row; null clears a figure (IsOptional lets null through). */
export class UpdateProgrammeBudgetDto {
  @ApiPropertyOptional({ type: Number, nullable: true, example: 10000000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEK)
  allottedSek?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 2758124 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEK)
  distributedSek?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 7241876 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEK)
  repaidSek?: number | null;

  @ApiPropertyOptional({ description: 'Where the figures stand: document, section, quote' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  source?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string | null;
}
