import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { FieldError, validationFailed } from './problem';

/** Every number column is a PostgreSQL integer (int4); a number outside it would fail the write or the query. */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

/**
 * Text PostgreSQL cannot store as sent: NUL, and unpaired UTF-16 surrogates (`\ud800` alone), which
 * are not Unicode, so they cannot be encoded as UTF-8 and break a jsonb write. In `u` mode a proper
 * pair is one code point, so `\p{Cs}` matches only the lone halves.
 */
const UNSTORABLE_TEXT = /[\u0000\p{Cs}]/u;

/**
 * DTO validation: unknown fields are rejected, every bad field is listed. Two checks hold for every
 * body, query and path parameter, whatever its DTO says: text must be storable (before the DTO is
 * built), and every number must fit an integer column (after, so that `?limit=` and `/{revision}`
 * are numbers by then).
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const path = metadata.data ?? '';
    const unstorable = badLeaves(value, path, 'string', (text) => UNSTORABLE_TEXT.test(text));
    if (unstorable.length)
      throw refused(unstorable, metadata, 'text must not contain NUL characters or unpaired surrogates');
    const transformed: unknown = await super.transform(value, metadata);
    const tooLarge = badLeaves(transformed, path, 'number', (number) => !(number >= INT4_MIN && number <= INT4_MAX));
    if (tooLarge.length) throw refused(tooLarge, metadata, `numbers must be from ${INT4_MIN} to ${INT4_MAX}`);
    return transformed;
  }
}

const refused = (fields: string[], metadata: ArgumentMetadata, message: string) =>
  validationFailed(fields.map((field) => ({ field: field || metadata.type, message })));

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

interface Leaves {
  string: string;
  number: number;
}

/**
 * The paths of the leaves of this kind that are bad (for text, object keys count too). The depth is
 * bounded by the body hook (json-depth.ts) before any of this runs.
 */
function badLeaves<K extends keyof Leaves>(
  value: unknown,
  path: string,
  kind: K,
  bad: (leaf: Leaves[K]) => boolean,
  found: string[] = [],
): string[] {
  if (typeof value === kind && bad(value as Leaves[K])) found.push(path);
  if (value === null || typeof value !== 'object') return found;
  for (const [key, inner] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (kind === 'string' && bad(key as Leaves[K])) found.push(field);
    badLeaves(inner, field, kind, bad, found);
  }
  return found;
}

/**
 * The field may be left out but not sent as null (unlike `@IsOptional()`, which lets null through):
 * for fields whose column is NOT NULL, so a null is a 400 rather than a failed insert.
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
