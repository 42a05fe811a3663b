import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EntityManager, ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { preparedText } from '../database/prepared';
import { SqlParameters } from '../database/sql';
import { validationFailed } from './problem';

export const MAX_PAGE_SIZE = 200;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export type SortOrder = 'asc' | 'desc';

/** A list in time order that a person may read newest first (a log, a history of runs). */
export class TimeOrderedPageQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'asc',
    description: 'asc: oldest first; desc: newest first. A cursor continues in the order it was issued for.',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: SortOrder;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One column of a keyset ordering; the last key must be unique (an id). */
export interface SortKey<E> {
  column: string;
  value: (row: E) => string | number | Date;
}

/**
 * Keyset pagination: stable under inserts, O(limit) per page. The cursor is the last row's sort
 * key, base64url JSON; anything else is a 400. All keys run the same way, so one row comparison
 * finds the next page in either order.
 */
export async function paginate<E extends ObjectLiteral>(
  query: SelectQueryBuilder<E>,
  keys: SortKey<E>[],
  page: PageQuery,
  order: SortOrder = 'asc',
): Promise<Page<E>> {
  const limit = page.limit ?? 50;
  const columns = keys.map((key) => key.column).join(', ');
  const [after, direction] = order === 'desc' ? ['<', 'DESC' as const] : ['>', 'ASC' as const];
  if (page.cursor !== undefined) {
    const last = decodeCursor(page.cursor, keys.length);
    const params = Object.fromEntries(last.map((value, index) => [`cursor${index}`, value]));
    query.andWhere(`(${columns}) ${after} (${last.map((_, index) => `:cursor${index}`).join(', ')})`, params);
  }
  keys.forEach((key, index) =>
    index === 0 ? query.orderBy(key.column, direction) : query.addOrderBy(key.column, direction),
  );
  const rows = await query
    .take(limit + 1)
    .getMany()
    .catch((error: unknown) => {
      // A cursor we did not issue can hold values its columns cannot take (not a UUID, not a
      // timestamp, a NUL): PostgreSQL's data exceptions (class 22) make that a 400, not a 500.
      if (page.cursor !== undefined && isDataException(error)) throw invalidCursor();
      throw error;
    });
  return pageOf(rows, limit, keys);
}

/** A read in plain SQL: its `SELECT … FROM …`, the conditions its rows meet and their parameters. */
export interface RowQuery {
  select: string;
  conditions: string[];
  parameters: SqlParameters;
}

/**
 * `paginate` for plain rows: the hot list views select the columns their view shows, named as its
 * properties, and skip entity hydration (the owning module writes the SQL; pg parses the values).
 */
export async function paginateRows<R>(
  manager: EntityManager,
  { select, conditions, parameters }: RowQuery,
  keys: SortKey<R>[],
  page: PageQuery,
  order: SortOrder = 'asc',
): Promise<Page<R>> {
  const limit = page.limit ?? 50;
  const [beyond, direction] = order === 'desc' ? ['<', ' DESC'] : ['>', ''];
  const columns = keys.map((key) => key.column).join(', ');
  const where = [...conditions];
  if (page.cursor !== undefined) {
    const after = decodeCursor(page.cursor, keys.length).map((value) => parameters.add(value));
    where.push(`(${columns}) ${beyond} (${after.join(', ')})`);
  }
  const ordering = keys.map((key) => `${key.column}${direction}`).join(', ');
  const sql = `${select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${ordering} LIMIT ${parameters.add(limit + 1)}`;
  const rows = await manager.query<R[]>(preparedText(sql), parameters.values).catch((error: unknown) => {
    if (page.cursor !== undefined && isDataException(error)) throw invalidCursor();
    throw error;
  });
  return pageOf(rows, limit, keys);
}

function pageOf<R>(rows: R[], limit: number, keys: SortKey<R>[]): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(keys.map((key) => serialise(key.value(last)))) : null;
  return { items, nextCursor };
}

export function mapPage<E, T>(page: Page<E>, map: (row: E) => T): Page<T> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every(isScalar)) return values;
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  validationFailed([{ field: 'cursor', message: 'cursor is not one this API issued' }], 'Invalid cursor');

function isDataException(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown } }).driverError?.code;
  return error instanceof QueryFailedError && typeof code === 'string' && code.startsWith('22');
}

function isScalar(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function serialise(value: string | number | Date): string | number {
  return value instanceof Date ? value.toISOString() : value;
}
