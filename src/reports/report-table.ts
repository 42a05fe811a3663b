/** One table of the national report: stable id, Swedish titles, rows keyed by column key. */
export interface ReportColumn {
  key: string;
  title: string;
}

export type ReportCell = string | number | null;

export interface ReportTable {
  id: string;
  title: string;
  columns: ReportColumn[];
  rows: Record<string, ReportCell>[];
}

/** Columns beside a computed figure where the final report states one. */
export const REPORTED_COLUMNS: ReportColumn[] = [
  { key: 'reported', title: 'Enligt slutrapporten' },
  { key: 'source', title: 'Källa' },
];

/** The figure the final report states, and where, or nulls where it states none. */
export const reportedFigure = (figure?: { value: number; source: string }): Record<string, ReportCell> => ({
  reported: figure?.value ?? null,
  source: figure?.source ?? null,
});

/**
 * Excel in a Swedish locale splits on its list separator, the semicolon (the comma is the decimal
 * mark there); with commas a whole row would land in one cell.
 */
export const CSV_SEPARATOR = ';';

const quote = (cell: ReportCell): string => {
  const text = cell === null ? '' : String(cell);
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * RFC 4180 CSV (semicolon-separated, see CSV_SEPARATOR) with a header row of the columns' titles,
 * CRLF line ends and a UTF-8 byte order mark, so Excel opens Swedish characters right.
 */
export function tableToCsv(table: ReportTable): string {
  const lines = [
    table.columns.map((column) => quote(column.title)),
    ...table.rows.map((row) => table.columns.map((column) => quote(row[column.key] ?? null))),
  ];
  return '\uFEFF' + lines.map((line) => line.join(CSV_SEPARATOR)).join('\r\n') + '\r\n';
}
