import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Principal } from '../core/domain/principal';
import { PageQuery } from '../core/http/pagination';
import { IsOptionalNotNull } from '../core/http/validation';
import { ActivityStatus, ActivityType, HiredRole, SessionFormat } from './activity.enums';

export class SessionDto {
  @ApiProperty({ enum: SessionFormat })
  @IsEnum(SessionFormat)
  format: SessionFormat;

  @ApiPropertyOptional({ example: '2015-03-12' })
  @IsOptional()
  @IsDateString({ strict: true })
  date?: string;

  @ApiPropertyOptional({ example: 'Eskilstuna stadshus' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;
}

export class ParticipantsDto {
  @ApiProperty({ enum: Principal })
  @IsEnum(Principal)
  principal: Principal;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  planned?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  actual?: number;
}

export class UserInvolvementDto {
  @ApiProperty({ nullable: true, description: 'null: the sources leave it open' })
  @IsOptional()
  @IsBoolean()
  userOrganisationsInPlanning: boolean | null;

  @ApiProperty({ example: ['NSPH'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  userOrganisations: string[];

  @ApiProperty({ description: 'Speakers with lived experience (attitydambassadörer)' })
  @IsBoolean()
  livedExperienceSpeakers: boolean;
}

export class CreateActivityDto {
  @ApiProperty()
  @IsUUID()
  areaId: string;

  @ApiProperty({ enum: ActivityType })
  @IsEnum(ActivityType)
  type: ActivityType;

  @ApiProperty({ example: 'Two joint conference days' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: ['samverkan med brukarorganisationer'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  themes?: string[];

  @ApiProperty({ enum: Principal, isArray: true, description: 'All four principals must take part in planning' })
  @IsArray()
  @ArrayUnique()
  @IsEnum(Principal, { each: true })
  planningPrincipals: Principal[];

  @ApiPropertyOptional({ example: '2015-01-01' })
  @IsOptional()
  @IsDateString({ strict: true })
  periodStart?: string;

  @ApiPropertyOptional({ example: '2015-12-31' })
  @IsOptional()
  @IsDateString({ strict: true })
  periodEnd?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  plannedParticipants?: number;

  @ApiPropertyOptional({ type: [ParticipantsDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => ParticipantsDto)
  participants?: ParticipantsDto[];

  @ApiPropertyOptional({ type: [SessionDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SessionDto)
  sessions?: SessionDto[];

  @ApiPropertyOptional({ enum: HiredRole, isArray: true })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsEnum(HiredRole, { each: true })
  hiredRoles?: HiredRole[];

  @ApiPropertyOptional({ type: UserInvolvementDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UserInvolvementDto)
  userInvolvement?: UserInvolvementDto;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  usesPrioInventory?: boolean;

  @ApiPropertyOptional({ description: 'Whole SEK of the area grant given to this activity', minimum: 0 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  grantedSek?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  spentSek?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  repaidSek?: number;
}

export class UpdateActivityDto extends PartialType(OmitType(CreateActivityDto, ['areaId', 'type'] as const), {
  // null is validated: only periodStart, periodEnd and plannedParticipants may be cleared with it.
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ enum: ActivityStatus })
  @IsOptionalNotNull()
  @IsEnum(ActivityStatus)
  status?: ActivityStatus;
}

export class ActivityQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  areaId?: string;

  @ApiPropertyOptional({ enum: ActivityType })
  @IsOptional()
  @IsEnum(ActivityType)
  type?: ActivityType;

  @ApiPropertyOptional({ enum: ActivityStatus })
  @IsOptional()
  @IsEnum(ActivityStatus)
  status?: ActivityStatus;
}
