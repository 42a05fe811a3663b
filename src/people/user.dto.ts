import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { GrantedRole } from './role-grant.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'anna.andersson@region.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: 'Anna Andersson' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class CreateGrantDto {
  @ApiProperty({ enum: GrantedRole })
  @IsEnum(GrantedRole)
  role: GrantedRole;

  @ApiPropertyOptional({ description: 'The area a COORDINATOR grant covers (one grant per area); none for ADMIN' })
  @IsOptional()
  @IsUUID()
  areaId?: string;
}
