import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager, In } from 'typeorm';
import { PrioInventory } from './prio-inventory.entity';

/** One inventory row as the PRIO feed delivers it (see README: PRIO feed format). */
export interface PrioRow {
  municipalityCode: string;
  year: number;
  inventoriedPersons: number;
  unmetHousingNeeds: number;
  unmetOccupationNeeds: number;
  analysisDate: string;
  employmentStrategyAgreed: boolean;
  revision: number;
  updatedAt: string;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const STAGE_COLUMNS = [
  ['municipality_code', 'char(4)'],
  ['year', 'integer'],
  ['inventoried_persons', 'integer'],
  ['unmet_housing_needs', 'integer'],
  ['unmet_occupation_needs', 'integer'],
  ['analysis_date', 'date'],
  ['employment_strategy_agreed', 'boolean'],
  ['source_revision', 'integer'],
  ['source_updated_at', 'timestamptz'],
] as const;

const COLUMNS = STAGE_COLUMNS.map(([name]) => name);

@Injectable()
export class PrioService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The inventories of exactly these municipalities, by code and year. */
  /** Which of these municipalities have at least one inventory row. */
  async municipalitiesWithInventories(codes: string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: { code: string }[] = await this.dataSource.query(
      'SELECT DISTINCT municipality_code AS code FROM prio_inventory WHERE municipality_code = ANY($1)',
      [codes],
    );
    return new Set(rows.map((row) => row.code));
  }

  /**
   * SQL for a caller's statement: a JSON array of the inventories of exactly the municipalities
   * `codes` (an array expression of the caller's), by code and year, each with the fields a handover
   * package shows (PrioInventoryView), as forMunicipalities reads them.
   */
  inventoriesSql(codes: string): string {
    return `SELECT coalesce(json_agg(json_build_object('municipalityCode', inventory.municipality_code,
        'year', inventory.year, 'inventoriedPersons', inventory.inventoried_persons,
        'unmetHousingNeeds', inventory.unmet_housing_needs, 'unmetOccupationNeeds', inventory.unmet_occupation_needs,
        'analysisDate', inventory.analysis_date, 'employmentStrategyAgreed', inventory.employment_strategy_agreed,
        'sourceRevision', inventory.source_revision) ORDER BY inventory.municipality_code, inventory.year), '[]')
      FROM prio_inventory inventory WHERE inventory.municipality_code = ANY(${codes})`;
  }

  forMunicipalities(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<PrioInventory[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(PrioInventory)
      .find({ where: { municipalityCode: In(codes) }, order: { municipalityCode: 'ASC', year: 'ASC' } });
  }

  /**
   * One set-based upsert per batch: the rows stream into a temporary staging table with COPY (the
   * fastest way into PostgreSQL), then a single INSERT … SELECT … ON CONFLICT moves them in. A row
   * whose source revision is not newer is left as it is, so replays are harmless.
   */
  async upsertBatch(rows: PrioRow[]): Promise<BatchResult> {
    const batch = latestPerKey(rows);
    if (batch.length === 0) return { inserted: 0, updated: 0, unchanged: rows.length };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(
        `CREATE TEMP TABLE IF NOT EXISTS prio_stage (${STAGE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')}) ON COMMIT DELETE ROWS`,
      );
      const client = (await runner.connect()) as PoolClient;
      await pipeline(Readable.from(copyLines(batch)), client.query(copyFrom(`COPY prio_stage FROM STDIN`)));
      // Counted in the database: one row back per page instead of one per upserted row.
      const [counts] = (await runner.query(
        `WITH written AS (
           INSERT INTO prio_inventory (${COLUMNS.join(', ')}, synced_at)
           SELECT ${COLUMNS.join(', ')}, now() FROM prio_stage
           ON CONFLICT (municipality_code, year) DO UPDATE SET
             ${COLUMNS.slice(2)
               .map((column) => `${column} = EXCLUDED.${column}`)
               .join(', ')},
             synced_at = now(), updated_at = now()
           WHERE prio_inventory.source_revision < EXCLUDED.source_revision
           RETURNING (xmax = 0) AS inserted)
         SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, count(*)::int AS written FROM written`,
      )) as { inserted: number; written: number }[];
      await runner.commitTransaction();
      return {
        inserted: counts.inserted,
        updated: counts.written - counts.inserted,
        unchanged: rows.length - counts.written,
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** A feed page may hold a row twice; the newest revision wins (ON CONFLICT cannot touch a row twice). */
function latestPerKey(rows: PrioRow[]): PrioRow[] {
  const latest = new Map<string, PrioRow>();
  for (const row of rows) {
    const key = `${row.municipalityCode}:${row.year}`;
    const seen = latest.get(key);
    if (!seen || seen.revision < row.revision) latest.set(key, row);
  }
  return [...latest.values()];
}

/** COPY text lines; every field was validated (codes, integers, ISO dates), so none needs escaping. */
function* copyLines(rows: PrioRow[]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.municipalityCode}\t${row.year}\t${row.inventoriedPersons}\t${row.unmetHousingNeeds}\t${row.unmetOccupationNeeds}\t${row.analysisDate}\t${row.employmentStrategyAgreed}\t${row.revision}\t${row.updatedAt}\n`;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
