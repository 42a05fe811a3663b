import type { components } from '../../api/generated';

export type ReportTable = components['schemas']['ReportTableView'];
export type ReportRow = ReportTable['rows'][number];

/** A bar chart drawn from a report table: one bar group per row, one series per column. */
export interface ChartSpec {
  /** The column naming each bar group. */
  label: string;
  /** The numeric columns drawn as series. */
  series: string[];
  /** Rows left out of the chart (totals would dwarf the parts); the table still shows them. */
  skip?: (row: ReportRow) => boolean;
}

const isTotal = (key: string) => (row: ReportRow) => /^(Totalt|Hela landet)$/.test(String(row[key] ?? ''));

/** The tables worth a chart; the rest are read as tables only. Keys follow the API's column keys. */
export const CHARTS: Record<string, ChartSpec> = {
  'areas-by-region': { label: 'region', series: ['total', 'reported'], skip: isTotal('region') },
  'activity-kinds': { label: 'measure', series: ['applied', 'carriedOut', 'reported'] },
  'user-involvement': { label: 'measure', series: ['areas', 'reported'] },
  participants: { label: 'principal', series: ['planned', 'actual'], skip: (row) => row.actual === null },
  sessions: { label: 'format', series: ['sessions'] },
  municipalities: { label: 'measure', series: ['municipalities', 'reported'], skip: isTotal('measure') },
  handovers: { label: 'recipient', series: ['total'], skip: isTotal('recipient') },
  readiness: { label: 'lesson', series: ['passed', 'warned'] },
};

/** A column holds figures when every cell is a number or empty. */
export const isNumeric = (table: ReportTable, key: string): boolean =>
  table.rows.every((row) => row[key] === null || row[key] === undefined || typeof row[key] === 'number');

/** The CSV of one table, as the API gives it (UTF-8 with BOM, semicolons: Swedish Excel opens it as is). */
export const csvUrl = (phase: string, table: string): string =>
  `/api/v1/reports/national?${new URLSearchParams({ phase, format: 'csv', table })}`;
