import { DataSource } from 'typeorm';
import { FeedRow } from '../fakes/prio-feed';
import { expectOk } from '../pipeline/kur-fixtures';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/** The PRIO table in the feed's terms, sorted, for comparing content exactly. */
export async function storedRows(dataSource: DataSource) {
  const rows: any[] = await dataSource.query(
    `SELECT municipality_code, year, inventoried_persons, unmet_housing_needs, unmet_occupation_needs,
            to_char(analysis_date, 'YYYY-MM-DD') AS analysis_date, employment_strategy_agreed, source_revision
     FROM prio_inventory ORDER BY municipality_code, year`,
  );
  return rows.map((row) => [
    row.municipality_code,
    row.year,
    row.inventoried_persons,
    row.unmet_housing_needs,
    row.unmet_occupation_needs,
    row.analysis_date,
    row.employment_strategy_agreed,
    row.source_revision,
  ]);
}

export function feedRows(rows: FeedRow[]) {
  return rows
    .map((row) => [
      row.municipalityCode,
      row.year,
      row.inventoriedPersons,
      row.unmetHousingNeeds,
      row.unmetOccupationNeeds,
      row.analysisDate,
      row.employmentStrategyAgreed,
      row.revision,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
}

export async function runPrioSync(api: TestApp, timeoutMs = 30_000) {
  const started = await api.request('POST', '/api/v1/sync-runs', { body: { kind: 'PRIO' } });
  if (started.status !== 202) throw new Error(`HTTP ${started.status}`);
  return finished(api, started.body.id, timeoutMs);
}

export function finished(api: TestApp, runId: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const run = await expectOk(api.request('GET', `/api/v1/sync-runs/${runId}`));
      return ['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(run.status) && run;
    },
    { what: `sync run ${runId} to end`, timeoutMs },
  );
}
