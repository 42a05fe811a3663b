import { ApiProperty } from '@nestjs/swagger';
import { County } from './county.entity';
import { Municipality } from './municipality.entity';

export class CountyView {
  @ApiProperty({ description: 'SCB county code', example: '01' })
  code: string;

  @ApiProperty({ example: 'Stockholms län' })
  name: string;

  @ApiProperty({ example: 'Region Stockholm' })
  regionName: string;
}

export class MunicipalityView {
  @ApiProperty({ description: 'SCB municipality code', example: '0180' })
  code: string;

  @ApiProperty({ example: 'Stockholm' })
  name: string;

  @ApiProperty({ example: '01' })
  countyCode: string;
}

export const toCountyView = (county: County): CountyView => ({
  code: county.code,
  name: county.name,
  regionName: county.regionName,
});

export const toMunicipalityView = (municipality: Municipality): MunicipalityView => ({
  code: municipality.code,
  name: municipality.name,
  countyCode: municipality.countyCode,
});
