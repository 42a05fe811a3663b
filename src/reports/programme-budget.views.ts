import { ProgrammeBudget } from './programme-budget.entity';

export const toProgrammeBudgetView = (row: ProgrammeBudget) => ({
  id: row.id,
  kurPhase: row.kurPhase,
  yearFrom: row.yearFrom,
  yearTo: row.yearTo,
  allottedSek: row.allottedSek,
  distributedSek: row.distributedSek,
  repaidSek: row.repaidSek,
  source: row.source,
  note: row.note,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});
