import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Principal } from '../core/domain/principal';
import { MUNICIPALITY_CODE } from '../core/http/params';
import { PageQuery } from '../core/http/pagination';
import { ManagementLevel, PlanKind } from './plan.enums';

export class PrioReferenceDto {
  @ApiProperty({ example: '0484' })
  @Matches(MUNICIPALITY_CODE, { message: 'municipalityCode must be a 4-digit SCB municipality code' })
  municipalityCode: string;

  @ApiProperty({ example: 2014 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

export class NeedsAnalysisDto {
  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  summary: string;

  @ApiProperty({ type: [PrioReferenceDto] })
  @IsArray()
  @ArrayMaxSize(290)
  @ValidateNested({ each: true })
  @Type(() => PrioReferenceDto)
  prioReferences: PrioReferenceDto[];
}

export class GoalDto {
  @ApiProperty({ example: 'More participants move on to work or studies' })
  @IsString()
  @Length(1, 1000)
  statement: string;

  @ApiProperty({ example: 'Share of participants in work or studies after 12 months' })
  @IsString()
  @Length(1, 1000)
  indicator: string;

  @ApiProperty({ example: '12 %' })
  @IsString()
  @Length(1, 200)
  baseline: string;

  @ApiProperty({ example: '25 %' })
  @IsString()
  @Length(1, 200)
  target: string;

  @ApiProperty({ example: '2016-12-31' })
  @IsDateString({ strict: true })
  dueDate: string;
}

export class MeasureDto {
  @ApiProperty({ example: 'Joint case conferences every month' })
  @IsString()
  @Length(1, 1000)
  action: string;

  @ApiProperty({ enum: Principal })
  @IsEnum(Principal)
  responsiblePrincipal: Principal;

  @ApiProperty({ example: '2016-06-30' })
  @IsDateString({ strict: true })
  dueDate: string;
}

export class FollowUpDto {
  @ApiProperty({ example: 'Indicator report to the management group' })
  @IsString()
  @Length(1, 1000)
  method: string;

  @ApiProperty({ example: 'Every six months' })
  @IsString()
  @Length(1, 200)
  interval: string;

  @ApiPropertyOptional({
    example: 'Samordningsförbundets beredningsgrupp',
    description: 'Who follows the plan up; readiness warns when nobody is named',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string;

  @ApiPropertyOptional({
    example: 6,
    minimum: 1,
    maximum: 24,
    description: 'Whole months between follow-up rounds after handover; without it no rounds are scheduled',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24)
  intervalMonths?: number;
}

/** The structured plan template: concrete goals with indicators, measures with owners, follow-up. */
export class PlanContentDto {
  @ApiProperty({ example: 'Young adults with mental ill-health outside work and studies' })
  @IsString()
  @Length(1, 2000)
  targetGroup: string;

  @ApiProperty({ type: NeedsAnalysisDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NeedsAnalysisDto)
  needsAnalysis: NeedsAnalysisDto;

  @ApiProperty({ type: [GoalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GoalDto)
  goals: GoalDto[];

  @ApiProperty({ type: [MeasureDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures: MeasureDto[];

  @ApiProperty({ type: FollowUpDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp: FollowUpDto;
}

export class CreatePlanDto {
  @ApiProperty()
  @IsUUID()
  activityId: string;

  @ApiProperty({ enum: PlanKind })
  @IsEnum(PlanKind)
  kind: PlanKind;

  @ApiProperty({ type: PlanContentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanContentDto)
  content: PlanContentDto;
}

export class RevisePlanDto {
  @ApiProperty({ type: PlanContentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanContentDto)
  content: PlanContentDto;
}

export class SignOffDto {
  @ApiProperty({ enum: Principal })
  @IsEnum(Principal)
  principal: Principal;

  @ApiProperty({ example: 'Lena Holm, områdeschef' })
  @IsString()
  @Length(1, 200)
  signerName: string;

  @ApiProperty({ enum: ManagementLevel })
  @IsEnum(ManagementLevel)
  managementLevel: ManagementLevel;

  @ApiProperty({ example: '2015-11-20' })
  @IsDateString({ strict: true })
  signedOn: string;

  @ApiPropertyOptional({ description: 'The revision signed; must be the latest (defaults to it)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  revision?: number;
}

export class PlanQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  activityId?: string;
}
