import { SqlParameters } from './sql';

/** The rows of an aggregate a caller may see: all of them, or those with these ids (none when empty). */
export type IdScope = { all: true } | { all: false; ids: string[] };

export const ALL: IdScope = { all: true };

export const only = (ids: string[]): IdScope => ({ all: false, ids });

/** A query condition keeping the rows whose `column` (a key of the caller's own table) is in the scope. */
export function inScope(column: string, scope: IdScope): { sql: string; params: Record<string, unknown> } {
  if (scope.all) return { sql: 'true', params: {} };
  if (scope.ids.length === 0) return { sql: 'false', params: {} };
  return { sql: `${column} IN (:...scopeIds)`, params: { scopeIds: scope.ids } };
}

/** `inScope` for plain SQL: the condition (none when the caller sees all rows), its ids a parameter. */
export function scopeCondition(column: string, scope: IdScope, parameters: SqlParameters): string[] {
  if (scope.all) return [];
  if (scope.ids.length === 0) return ['false'];
  return [`${column} = ANY(${parameters.add(scope.ids)})`];
}
