import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { FieldError, ProblemException, validationFailed } from './problem';

/** Every number column is a PostgreSQL integer (int4); a number outside it would fail the write or the query. */
export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

/**
 * Text PostgreSQL cannot store as sent: NUL, and unpaired UTF-16 surrogates (`\ud800` alone), which
 * are not Unicode, so they cannot be encoded as UTF-8 and break a jsonb write. In `u` mode a proper
 * pair is one code point, so `\p{Cs}` matches only the lone halves.
 */
// NUL and lone surrogates: PostgreSQL text cannot store them.
// eslint-disable-next-line no-control-regex
const UNSTORABLE_TEXT = /[\u0000\p{Cs}]/u;

/**
 * DTO validation: unknown fields are rejected, every bad field is listed. Two checks hold for every
 * body, query and path parameter, whatever its DTO says, once it is built (by then `?limit=` and
 * `/{revision}` are numbers, and unknown fields have been refused): text must be storable, and every
 * number must fit an integer column.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const transformed: unknown = await super.transform(value, metadata).catch((error: unknown) => {
      throw error instanceof ProblemException ? atRoot(error, metadata.type) : error;
    });
    const path = metadata.data ?? '';
    const errors = [
      ...badLeaves(transformed, path, 'string', (text) => UNSTORABLE_TEXT.test(text)).map((field) => ({
        field,
        message: 'text must not contain NUL characters or unpaired surrogates',
      })),
      ...badLeaves(transformed, path, 'number', (number) => !(number >= INT4_MIN && number <= INT4_MAX)).map(
        (field) => ({ field, message: `numbers must be from ${INT4_MIN} to ${INT4_MAX}` }),
      ),
    ];
    if (errors.length)
      throw validationFailed(errors.map((error) => ({ ...error, field: error.field || metadata.type })));
    return transformed;
  }
}

/** Errors about the whole body or query (an unknown field at the top) name it by its kind. */
function atRoot(error: ProblemException, type: string): ProblemException {
  const errors = error.problem.errors as FieldError[] | undefined;
  if (!errors?.some((each) => each.field === '')) return error;
  return validationFailed(
    errors.map((each) => (each.field === '' ? { ...each, field: type } : each)),
    error.problem.detail,
  );
}

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

/**
 * Every bad field, by its path. An unknown field is named only when its name looks like a field's
 * (a mistyped one, worth showing); any other name is the client's text, which errors never repeat,
 * so it is reported at the object that holds it.
 */
export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const all = errors.flatMap((error): FieldError[] => {
    if (error.constraints?.whitelistValidation && !FIELD_NAME.test(error.property)) {
      return [{ field: parent, message: UNKNOWN_FIELD }];
    }
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
  return [...new Map(all.map((error) => [`${error.field}\n${error.message}`, error])).values()];
}

const UNKNOWN_FIELD = 'has a field this API does not know (see the OpenAPI document)';
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface Leaves {
  string: string;
  number: number;
}

/**
 * The paths of the leaves of this kind that are bad (for text, keys too, reported at their object).
 * The depth is bounded by the body hook (json-depth.ts) before any of this runs.
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
    if (kind === 'string' && bad(key as Leaves[K])) found.push(path); // the object, not the client's key
    badLeaves(inner, field, kind, bad, found);
  }
  return found;
}

/**
 * The field may be left out but not sent as null (unlike `@IsOptional()`, which lets null through):
 * for fields whose column is NOT NULL, so a null is a 400 rather than a failed insert.
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
