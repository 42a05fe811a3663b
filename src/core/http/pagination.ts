import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
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
 * key, base64url JSON; anything else is a 400. All keys run in one direction (ascending unless told).
 */
export async function paginate<E extends ObjectLiteral>(
  query: SelectQueryBuilder<E>,
  keys: SortKey<E>[],
  page: PageQuery,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<E>> {
  const limit = page.limit ?? 50;
  const columns = keys.map((key) => key.column).join(', ');
  if (page.cursor !== undefined) {
    const after = decodeCursor(page.cursor, keys.length);
    const params = Object.fromEntries(after.map((value, index) => [`cursor${index}`, value]));
    const beyond = direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${columns}) ${beyond} (${after.map((_, index) => `:cursor${index}`).join(', ')})`, params);
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
