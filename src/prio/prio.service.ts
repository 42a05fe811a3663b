import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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

const COLUMNS = [
  'municipality_code',
  'year',
  'inventoried_persons',
  'unmet_housing_needs',
  'unmet_occupation_needs',
  'analysis_date',
  'employment_strategy_agreed',
  'source_revision',
  'source_updated_at',
] as const;

@Injectable()
export class PrioService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The inventories of exactly these municipalities, by code and year. */
  forMunicipalities(codes: string[], manager: EntityManager = this.dataSource.manager): Promise<PrioInventory[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(PrioInventory)
      .find({ where: { municipalityCode: In(codes) }, order: { municipalityCode: 'ASC', year: 'ASC' } });
  }

  /**
   * One set-based upsert for a batch (unnest of column arrays: one round trip, no per-row ORM
   * work). A row whose source revision is not newer is left as it is, so replays are harmless.
   */
  async upsertBatch(rows: PrioRow[], manager: EntityManager = this.dataSource.manager): Promise<BatchResult> {
    if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
    const latest = new Map<string, PrioRow>();
    for (const row of rows) {
      const key = `${row.municipalityCode}:${row.year}`;
      const seen = latest.get(key);
      if (!seen || seen.revision < row.revision) latest.set(key, row);
    }
    const batch = [...latest.values()];
    const result: { inserted: boolean }[] = await manager.query(
      `INSERT INTO prio_inventory (${COLUMNS.join(', ')}, synced_at)
       SELECT *, now() FROM unnest($1::char(4)[], $2::int[], $3::int[], $4::int[], $5::int[], $6::date[], $7::bool[], $8::int[], $9::timestamptz[])
       ON CONFLICT (municipality_code, year) DO UPDATE SET
         ${COLUMNS.slice(2)
           .map((column) => `${column} = EXCLUDED.${column}`)
           .join(', ')},
         synced_at = now(), updated_at = now()
       WHERE prio_inventory.source_revision < EXCLUDED.source_revision
       RETURNING (xmax = 0) AS inserted`,
      [
        batch.map((row) => row.municipalityCode),
        batch.map((row) => row.year),
        batch.map((row) => row.inventoriedPersons),
        batch.map((row) => row.unmetHousingNeeds),
        batch.map((row) => row.unmetOccupationNeeds),
        batch.map((row) => row.analysisDate),
        batch.map((row) => row.employmentStrategyAgreed),
        batch.map((row) => row.revision),
        batch.map((row) => row.updatedAt),
      ],
    );
    const inserted = result.filter((row) => row.inserted).length;
    return { inserted, updated: result.length - inserted, unchanged: rows.length - result.length };
  }
}
