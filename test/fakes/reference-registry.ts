import { readFileSync } from 'node:fs';
import { RegistryRecord } from '../../src/associations/registry-record';
import { parseCsv } from '../../src/core/csv';
import { dataFile } from '../../src/core/data-files';

/**
 * What the fake Finsam registry serves: the associations of data/coordination_associations.csv
 * as registry records. The file has no organisation numbers, so the external id is a stable slug
 * of the name. Each has a clearly fictitious chief with an e-mail at an .example domain.
 */
export function referenceAssociations(
  csv = readFileSync(dataFile('coordination_associations.csv'), 'utf8'),
): RegistryRecord[] {
  return parseCsv(csv).map((row, index) => ({
    externalId: slug(row.name),
    name: row.name,
    countyCode: row.county_code,
    chief: fictitiousChief(slug(row.name), index),
    endpoint: null,
    memberMunicipalityCodes: row.member_municipality_codes.split(';').filter(Boolean),
  }));
}

export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A made-up chief: an invented name and an address at the association's slug under .example. */
export function fictitiousChief(externalId: string, index: number): { name: string; email: string } {
  return { name: `Fiktiv Förbundschef ${index + 1}`, email: `chef@${externalId}.example` };
}
