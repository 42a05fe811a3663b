import { County } from './county.entity';
import { Municipality } from './municipality.entity';

export const toCountyView = (county: County) => ({
  code: county.code,
  name: county.name,
  regionName: county.regionName,
});

export const toMunicipalityView = (municipality: Municipality) => ({
  code: municipality.code,
  name: municipality.name,
  countyCode: municipality.countyCode,
});
