import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsEndpointUrl } from '../core/http/endpoint-url';
import { COUNTY_CODE, MUNICIPALITY_CODE } from '../core/http/params';
import { PageQuery } from '../core/http/pagination';

export class ChiefDto {
  @ApiProperty({ example: 'Anna Andersson' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'forbundschef@example.org' })
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class EndpointDto {
  @ApiProperty({ example: 'https://finsam.example.org/kur/handovers' })
  @IsEndpointUrl()
  url: string;

  @ApiProperty({ description: 'Standard Webhooks secret (whsec_…); write-only', example: 'whsec_…' })
  @Matches(/^whsec_[A-Za-z0-9+/=]{16,200}$/, { message: 'secret must be a Standard Webhooks secret (whsec_ + base64)' })
  secret: string;
}

export class CreateAssociationDto {
  @ApiProperty({ description: "The registry's id (organisation number)", example: '222000-1234' })
  @IsString()
  @Length(1, 100)
  externalId: string;

  @ApiProperty({ example: 'Samordningsförbundet Stockholms stad' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: '01' })
  @Matches(COUNTY_CODE, { message: 'countyCode must be a 2-digit SCB county code' })
  countyCode: string;

  @ApiPropertyOptional({ type: ChiefDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChiefDto)
  chief?: ChiefDto | null;

  @ApiPropertyOptional({ type: EndpointDto, nullable: true, description: 'Absent: the association pulls its feed' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EndpointDto)
  endpoint?: EndpointDto | null;
}

export class UpdateAssociationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: ChiefDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChiefDto)
  chief?: ChiefDto | null;

  @ApiPropertyOptional({ type: EndpointDto, nullable: true, description: 'null: stop pushing, the association pulls' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EndpointDto)
  endpoint?: EndpointDto | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class AssociationQuery extends PageQuery {
  @ApiPropertyOptional({ example: '01' })
  @IsOptional()
  @Matches(COUNTY_CODE, { message: 'countyCode must be a 2-digit SCB county code' })
  countyCode?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only active (true) or inactive (false) associations' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';

  @ApiPropertyOptional({ example: '0180', description: 'Associations with this municipality as a current member' })
  @IsOptional()
  @Matches(MUNICIPALITY_CODE, { message: 'municipalityCode must be a 4-digit SCB municipality code' })
  municipalityCode?: string;
}

export class AddMembershipDto {
  @ApiProperty({ example: '0180' })
  @Matches(MUNICIPALITY_CODE, { message: 'municipalityCode must be a 4-digit SCB municipality code' })
  municipalityCode: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Defaults to today' })
  @IsOptional()
  @IsDateString({ strict: true })
  validFrom?: string;
}

export class CloseMembershipDto {
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Defaults to today' })
  @IsOptional()
  @IsDateString({ strict: true })
  validTo?: string;
}
