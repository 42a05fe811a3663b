/**
 * RFC 4180 CSV: quoted fields may hold the separator, quotes ("") and newlines. Returns records keyed
 * by header. The separator is a comma unless told (Swedish spreadsheets write semicolons).
 */
export function parseCsv(text: string, { separator = ',' } = {}): Record<string, string>[] {
  const rows = parseRows(text.replace(/^\uFEFF/, ''), separator);
  const [header, ...records] = rows;
  if (!header) return [];
  return records
    .filter((record) => record.some((field) => field !== ''))
    .map((record) => Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])));
}

function parseRows(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
