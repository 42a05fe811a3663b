/**
 * SQL that PostgreSQL parses and plans once per connection rather than on every call: a named
 * prepared statement, for the statements the delivery pipeline sends per handover (parsing and
 * planning one of its CTE statements costs more than running it). Hand it to `query` of a manager
 * or the DataSource like any SQL: TypeORM logs and sends it as it does text, its errors are the
 * usual QueryFailedError, and node-postgres prepares it under its name the first time each pooled
 * connection sees it. The name must be unique to the text.
 */
export type PreparedSql = string & { readonly name: string; readonly text: string };

export function prepared(name: string, text: string): PreparedSql {
  // node-postgres takes a query config object ({ name, text }) where it takes text; TypeORM passes
  // it through untouched. toString keeps it readable wherever it is logged or shown as text.
  return { name, text, toString: () => text } as unknown as PreparedSql;
}
