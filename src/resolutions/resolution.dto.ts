import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EndpointDto } from '../associations/association.dto';
import { COUNTY_CODE } from '../core/http/params';
import { PageQuery } from '../core/http/pagination';
import { Resolution, ResolutionCaseStatus } from './resolution.enums';

export class DirectRecipientDto {
  @ApiProperty({ example: 'Kommunens socialchef' })
  @IsString()
  @Length(1, 200)
  contactName: string;

  @ApiProperty({ example: 'socialchef@example.org' })
  @IsEmail()
  @MaxLength(320)
  contactEmail: string;

  @ApiPropertyOptional({
    type: EndpointDto,
    description: 'Where to push the package; absent: an administrator hands it over',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EndpointDto)
  endpoint?: EndpointDto;
}

export class ResolveCaseDto {
  @ApiProperty({ enum: Resolution })
  @IsEnum(Resolution)
  resolution: Resolution;

  @ApiPropertyOptional({ description: 'ASSIGN_ASSOCIATION: the association that agreed to take it' })
  @ValidateIf((dto: ResolveCaseDto) => dto.resolution === Resolution.ASSIGN_ASSOCIATION)
  @IsUUID()
  associationId?: string;

  @ApiPropertyOptional({ type: DirectRecipientDto, description: 'DIRECT_TO_MUNICIPALITY: who receives it' })
  @ValidateIf((dto: ResolveCaseDto) => dto.resolution === Resolution.DIRECT_TO_MUNICIPALITY)
  @IsObject()
  @ValidateNested()
  @Type(() => DirectRecipientDto)
  direct?: DirectRecipientDto;

  @ApiPropertyOptional({ description: 'WAIVED: why nobody takes it over (required)' })
  @ValidateIf((dto: ResolveCaseDto) => dto.resolution === Resolution.WAIVED)
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class ResolutionCaseQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ResolutionCaseStatus })
  @IsOptional()
  @IsEnum(ResolutionCaseStatus)
  status?: ResolutionCaseStatus;

  @ApiPropertyOptional({ example: '01' })
  @IsOptional()
  @Matches(COUNTY_CODE, { message: 'countyCode must be a 2-digit SCB county code' })
  countyCode?: string;

  @ApiPropertyOptional({ description: 'Only cases opened at least this many days ago', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  olderThanDays?: number;
}
