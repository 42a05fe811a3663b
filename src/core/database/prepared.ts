import { createHash } from 'node:crypto';

/**
 * SQL that PostgreSQL parses and plans once per connection rather than on every call: a named
 * prepared statement, for the statements the delivery pipeline sends per handover (parsing and
 * planning one of its CTE statements costs more than running it) and the reads every page runs
 * (parsing and planning them were about a third of PostgreSQL's CPU per request: bench/reads).
 * Hand it to `query` of a manager or the DataSource like any SQL: TypeORM logs and sends it as it
 * does text, its errors are the usual QueryFailedError, and node-postgres prepares it under its
 * name the first time each pooled connection sees it. The name must be unique to the text.
 */
export type PreparedSql = string & { readonly name: string; readonly text: string };

export function prepared(name: string, text: string): PreparedSql {
  // node-postgres takes a query config object ({ name, text }) where it takes text; TypeORM passes
  // it through untouched. toString keeps it readable wherever it is logged or shown as text.
  return { name, text, toString: () => text } as unknown as PreparedSql;
}

const byText = new Map<string, PreparedSql>();

/**
 * SQL assembled in code (filters and cursors as placeholders, never the caller's values), prepared
 * under a name derived from its text: each shape of a read is parsed and planned once per connection.
 */
export function preparedText(text: string): PreparedSql {
  let statement = byText.get(text);
  if (!statement) {
    statement = prepared(`kur_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text);
    byText.set(text, statement);
  }
  return statement;
}
