import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { prepared } from '../core/database/prepared';
import { upsertChanged } from '../core/database/upsert';
import { Page, PageQuery, paginate } from '../core/http/pagination';
import { notFound, ruleViolation } from '../core/domain/errors';
import { County } from './county.entity';
import { Municipality } from './municipality.entity';
import { readReferenceData } from './reference-data';

export interface MunicipalityFilter extends PageQuery {
  countyCode?: string;
}

/** Prepared: list pages run it on every read. */
const MUNICIPALITY_NAMES = prepared(
  'kur_municipality_names',
  'SELECT code, name FROM municipality WHERE code = ANY($1)',
);

@Injectable()
export class MunicipalitiesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listCounties(page: PageQuery): Promise<Page<County>> {
    const query = this.dataSource.getRepository(County).createQueryBuilder('county');
    return paginate(query, [{ column: 'county.code', value: (county) => county.code }], page);
  }

  async getCounty(code: string): Promise<County> {
    const county = await this.dataSource.getRepository(County).findOneBy({ code });
    if (!county) throw notFound('County', code);
    return county;
  }

  list(filter: MunicipalityFilter): Promise<Page<Municipality>> {
    const query = this.dataSource.getRepository(Municipality).createQueryBuilder('municipality');
    if (filter.countyCode) query.where('municipality.county_code = :countyCode', { countyCode: filter.countyCode });
    return paginate(query, [{ column: 'municipality.code', value: (municipality) => municipality.code }], filter);
  }

  async get(code: string): Promise<Municipality> {
    const municipality = await this.dataSource.getRepository(Municipality).findOneBy({ code });
    if (!municipality) throw notFound('Municipality', code);
    return municipality;
  }

  /**
   * SQL for a caller's statement: a JSON array of the municipalities `codes` (an array expression of
   * the caller's) by code, each its code, name and countyCode, as findByCodes reads them.
   */
  placesSql(codes: string): string {
    return `SELECT coalesce(json_agg(json_build_object('code', municipality.code, 'name', municipality.name,
        'countyCode', municipality.county_code) ORDER BY municipality.code), '[]')
      FROM municipality WHERE municipality.code = ANY(${codes})`;
  }

  async findByCodes(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<Municipality[]> {
    if (codes.length === 0) return [];
    return manager.getRepository(Municipality).find({ where: { code: In(codes) }, order: { code: 'ASC' } });
  }

  /** County names by code, for what people read. */
  async countyNames(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(County).findBy({ code: In([...new Set(codes)]) });
    return new Map(rows.map((county) => [county.code, county.name]));
  }

  /** Municipality names by code, for what people read. */
  async municipalityNames(
    codes: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    // Plain rows: two columns need no entities.
    const rows: { code: string; name: string }[] = await manager.query(MUNICIPALITY_NAMES, [[...new Set(codes)]]);
    return new Map(rows.map((row) => [row.code, row.name]));
  }

  /** Every municipality and county code, for validating what partner feeds send. */
  async knownCodes(): Promise<{ municipalities: Set<string>; counties: Set<string> }> {
    const rows = await this.dataSource.getRepository(Municipality).find({ select: { code: true, countyCode: true } });
    return {
      municipalities: new Set(rows.map((row) => row.code)),
      counties: new Set(rows.map((row) => row.countyCode)),
    };
  }

  /**
   * Locks these municipalities' rows (in code order, so two callers cannot deadlock) while their
   * memberships change: one association at a time holds even under concurrent writers.
   */
  async lockForMembershipChange(manager: EntityManager, codes: string[]): Promise<void> {
    if (codes.length === 0) return;
    await manager.query('SELECT code FROM municipality WHERE code = ANY($1) ORDER BY code FOR NO KEY UPDATE', [codes]);
  }

  /** 422 naming every code that is not a Swedish municipality. */
  async assertKnown(codes: string[], manager?: EntityManager): Promise<void> {
    const known = new Set((await this.findByCodes(codes, manager)).map((municipality) => municipality.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw ruleViolation('KNOWN_MUNICIPALITY', `Unknown municipality code(s): ${unknown.join(', ')}`, { unknown });
    }
  }

  /** Loads data/counties.csv and data/municipalities.csv; rows that did not change are not touched. */
  async loadReferenceData(
    { counties, municipalities } = readReferenceData(),
  ): Promise<{ counties: number; municipalities: number; changed: number }> {
    return this.dataSource.transaction(async (manager) => {
      const countyRows = await upsertChanged(
        manager,
        'county',
        ['code'],
        ['name', 'region_name'],
        counties.map((c) => [c.code, c.name, c.regionName]),
      );
      const municipalityRows = await upsertChanged(
        manager,
        'municipality',
        ['code'],
        ['name', 'county_code'],
        municipalities.map((m) => [m.code, m.name, m.countyCode]),
      );
      return {
        counties: counties.length,
        municipalities: municipalities.length,
        changed: countyRows + municipalityRows,
      };
    });
  }
}
