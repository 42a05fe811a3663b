import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Principal } from '../core/domain/principal';
import { VersionedView } from '../core/http/api-docs';
import { AreaStatus, KurPhase, KurRegion } from './area.enums';
import { AreaRead } from './areas.service';

export class PrincipalContactView {
  @ApiProperty({ enum: Principal })
  principal: Principal;

  @ApiProperty({ example: 'Karin Berg' })
  contactName: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'karin.berg@example.org' })
  contactEmail?: string | null;
}

export class AreaView extends VersionedView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Eskilstuna med partner' })
  name: string;

  @ApiProperty({ enum: KurRegion })
  kurRegion: KurRegion;

  @ApiProperty({ enum: KurPhase })
  kurPhase: KurPhase;

  @ApiProperty({ enum: AreaStatus })
  status: AreaStatus;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Whole SEK; null until the grant is recorded' })
  grantedSek: number | null;

  @ApiProperty({ type: 'integer', description: "Whole SEK given to the area's activities" })
  allocatedSek: number;

  @ApiProperty({ type: [String], example: ['0484'] })
  municipalityCodes: string[];

  @ApiProperty({ type: [PrincipalContactView] })
  principals: PrincipalContactView[];

  @ApiProperty({ type: String, nullable: true })
  summary: string | null;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;
}

export const toAreaView = ({ area, municipalityCodes }: AreaRead): AreaView => ({
  id: area.id,
  name: area.name,
  kurRegion: area.kurRegion,
  kurPhase: area.kurPhase,
  status: area.status,
  grantedSek: area.grantedSek,
  allocatedSek: area.allocatedSek,
  municipalityCodes,
  principals: area.principals,
  summary: area.summary,
  notes: area.notes,
  version: area.version,
  createdAt: area.createdAt,
  updatedAt: area.updatedAt,
});
