import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Principal } from '../core/domain/principal';
import { MUNICIPALITY_CODE } from '../core/http/params';
import { PageQuery } from '../core/http/pagination';
import { IsOptionalNotNull } from '../core/http/validation';
import { AreaStatus, KurPhase, KurRegion } from './area.enums';

export class PrincipalContactDto {
  @ApiProperty({ enum: Principal })
  @IsEnum(Principal)
  principal: Principal;

  @ApiProperty({ example: 'Karin Berg' })
  @IsString()
  @Length(1, 200)
  contactName: string;

  @ApiPropertyOptional({ example: 'karin.berg@example.org' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  contactEmail?: string;
}

export const MunicipalityCodes = () =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(290),
    ArrayUnique(),
    Matches(MUNICIPALITY_CODE, { each: true, message: 'each municipality code must be 4 digits (SCB code)' }),
  );

export class CreateAreaDto {
  @ApiProperty({ example: 'Eskilstuna med partner' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: KurRegion })
  @IsEnum(KurRegion)
  kurRegion: KurRegion;

  @ApiProperty({ enum: KurPhase })
  @IsEnum(KurPhase)
  kurPhase: KurPhase;

  @ApiPropertyOptional({ description: 'Whole SEK, 0..500 000', example: 450000 })
  @IsOptional()
  @IsInt()
  grantedSek?: number;

  @ApiProperty({ example: ['0484'] })
  @MunicipalityCodes()
  municipalityCodes: string[];

  @ApiPropertyOptional({ type: [PrincipalContactDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => PrincipalContactDto)
  principals?: PrincipalContactDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;
}

// skipNullProperties: false, so null is validated: only fields that may be null (grantedSek,
// summary, notes) accept it; a null name or municipality list is a 400.
export class UpdateAreaDto extends PartialType(OmitType(CreateAreaDto, ['kurPhase'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({
    enum: AreaStatus,
    description: 'Move along DRAFT → GRANTED → (WITHDRAWN); FINISHED only through /finish',
  })
  @IsOptionalNotNull()
  @IsEnum(AreaStatus)
  status?: AreaStatus;
}

export class AreaQuery extends PageQuery {
  @ApiPropertyOptional({ enum: KurRegion })
  @IsOptional()
  @IsEnum(KurRegion)
  kurRegion?: KurRegion;

  @ApiPropertyOptional({ enum: KurPhase })
  @IsOptional()
  @IsEnum(KurPhase)
  kurPhase?: KurPhase;

  @ApiPropertyOptional({ enum: AreaStatus })
  @IsOptional()
  @IsEnum(AreaStatus)
  status?: AreaStatus;

  @ApiPropertyOptional({ example: '0180' })
  @IsOptional()
  @Matches(MUNICIPALITY_CODE, { message: 'municipalityCode must be a 4-digit SCB municipality code' })
  municipalityCode?: string;
}
