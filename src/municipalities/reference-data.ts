import { readFileSync } from 'node:fs';
import { parseCsv } from '../core/csv';
import { dataFile } from '../core/data-files';
import { County } from './county.entity';
import { Municipality } from './municipality.entity';

/** Counties and municipalities as shipped in data/ (copied from SCB-based public lists). */
export function readReferenceData(): { counties: County[]; municipalities: Municipality[] } {
  const counties = parseCsv(readFileSync(dataFile('counties.csv'), 'utf8')).map((row) =>
    Object.assign(new County(), { code: row.code, name: row.name, regionName: row.region_name }),
  );
  const municipalities = parseCsv(readFileSync(dataFile('municipalities.csv'), 'utf8')).map((row) =>
    Object.assign(new Municipality(), { code: row.code, name: row.name, countyCode: row.county_code }),
  );
  return { counties, municipalities };
}
