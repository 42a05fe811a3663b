import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../core/http/pagination';
import { FollowUpStatus, GoalStatus } from './follow-up.enums';

export class FollowUpQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FollowUpStatus })
  @IsOptional()
  @IsEnum(FollowUpStatus)
  status?: FollowUpStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  associationId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  areaId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  planId?: string;
}

export class GoalReportDto {
  @ApiProperty({ description: 'Position of the goal in the plan (0-based)', example: 0 })
  @IsInt()
  @Min(0)
  @Max(49)
  goalIndex: number;

  @ApiProperty({ example: '18 %' })
  @IsString()
  @Length(1, 200)
  currentValue: string;

  @ApiProperty({ enum: GoalStatus })
  @IsEnum(GoalStatus)
  status: GoalStatus;

  @ApiPropertyOptional({ example: 'Fler remisser från Arbetsförmedlingen än väntat' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class MeasureReportDto {
  @ApiProperty({ description: 'Position of the measure in the plan (0-based)', example: 0 })
  @IsInt()
  @Min(0)
  @Max(99)
  measureIndex: number;

  @ApiProperty()
  @IsBoolean()
  done: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

/** One answer per goal and per measure of the plan revision the round asks about. */
export class FollowUpReportDto {
  @ApiProperty({ type: [GoalReportDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GoalReportDto)
  goals: GoalReportDto[];

  @ApiProperty({ type: [MeasureReportDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MeasureReportDto)
  measures: MeasureReportDto[];
}
