import fc from 'fast-check';
import { Schema } from './openapi';

/**
 * Hostile values. Every generated text carries a marker (`ZQ` and six letters) that the API never
 * produces on its own, so a response holding a marker of its request echoed what the client sent.
 */
export const marker = fc.stringMatching(/^ZQ[A-Z]{6}$/);

export const markersIn = (text: string): string[] => text.match(/ZQ[A-Z]{6}/g) ?? [];

/** What follows the marker: the text classes that broke the API before, and their neighbours. */
const textPayload = (unit: 'binary' | 'grapheme') =>
  fc.oneof(
    fc.constantFrom('', ' ', "' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '${7*7}', '%00', '\u202e'),
    fc.string({ unit, maxLength: 40 }),
    fc.integer({ min: 200, max: 20_000 }).map((length) => 'x'.repeat(length)),
    ...(unit === 'binary' ? [fc.constantFrom('\ud800', '\udc00', 'a\ud800b', '\udc00\ud800', '\u0000', '\ud83c')] : []),
  );

/** Text for a JSON body: anything a JavaScript string can hold, lone surrogates and NUL included. */
export const hostileText = fc.tuple(marker, textPayload('binary')).map(([mark, payload]) => `${mark}${payload}`);

/** Text for a URL (path or query): valid Unicode, as a URL can only carry UTF-8. */
export const hostileUrlText = fc
  .tuple(marker, textPayload('grapheme'))
  .map(([mark, payload]) => `${mark}${payload.slice(0, 300)}`);

/**
 * A field name no schema has. Never shaped like a field name: a mistyped field (a plain identifier)
 * is named in the error by design, so only names that are not one can show an echo.
 */
const asKey = (text: string) => `${text.slice(0, 8)}-${text.slice(8)}`;
export const hostileKey = hostileText.map(asKey);
export const hostileUrlKey = hostileUrlText.map(asKey);

/** Numbers at and past every edge an integer column or a JavaScript number has. */
export const hostileNumber = fc.oneof(
  fc.constantFrom(2147483647, 2147483648, -2147483648, -2147483649, 2 ** 53 + 2, -(2 ** 63), 1e308, -0, 0.5, 1e-9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** The same edges as URL text, plus forms only text can take. */
export const hostileNumberText = fc.oneof(
  hostileNumber.map(String),
  fc.constantFrom('1e10', '99999999999999999999', '0x10', '1_000', ' 1', '+1', '-', 'NaN', 'Infinity', '١٢'),
);

/** Nested `depth` levels of objects or arrays around a marker. */
export const deepValue = fc
  .tuple(fc.integer({ min: 30, max: 2500 }), fc.boolean(), marker)
  .map(([depth, arrays, mark]) => {
    let value: unknown = mark;
    for (let level = 0; level < depth; level++) value = arrays ? [value] : { [asKey(mark)]: value };
    return value;
  });

/** Any JSON value of the wrong kind for wherever it lands. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileText, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }), weight: 2 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: fc.array(hostileText, { maxLength: 3 }), weight: 1 },
);

/** Values the generated body starts from, so that a mutation lands in a body that is otherwise valid. */
export interface Known {
  /** Real values by property name (`areaId`, `municipalityCode`, …), taken from the seeded data. */
  byName: Record<string, unknown[]>;
}

/** A plausible value for a schema: its example or enum, a real value for its name, else a simple one. */
export function plausible(
  schema: Schema,
  known: Known,
  resolve: (schema: Schema) => Schema,
  name = '',
): fc.Arbitrary<unknown> {
  const resolved = resolve(schema);
  const real = known.byName[name];
  const choices: fc.Arbitrary<unknown>[] = [];
  if (real?.length) choices.push(fc.constantFrom(...real));
  if (resolved.enum?.length) choices.push(fc.constantFrom(...resolved.enum));
  if (resolved.example !== undefined) choices.push(fc.constant(resolved.example));
  if (choices.length === 0) choices.push(byType(resolved, known, resolve));
  const value = fc.oneof(...choices);
  return resolved.nullable ? fc.option(value, { freq: 8, nil: null }) : value;
}

function byType(schema: Schema, known: Known, resolve: (schema: Schema) => Schema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'object':
      return objectOf(schema, known, resolve);
    case 'array':
      return fc.array(plausible(schema.items ?? {}, known, resolve), { maxLength: 3 });
    case 'number':
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? 0, 0), max: Math.min(schema.maximum ?? 1000, 1000) });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.string({ minLength: 1, maxLength: 20 });
  }
}

function objectOf(schema: Schema, known: Known, resolve: (schema: Schema) => Schema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, plausible(property, known, resolve, name)]),
  );
  return fc.record(record, { requiredKeys: [...required].filter((name) => name in properties) });
}

/** The paths (lists of keys) of every value inside a JSON value, the value itself first. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const inner =
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) =>
          pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
        )
      : [];
  return [prefix, ...inner];
}

/** A copy of `value` with the value at `path` replaced (or, with `remove`, left out). */
export function replaced(value: unknown, path: (string | number)[], next: unknown, remove = false): unknown {
  if (path.length === 0) return next;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [key, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete copy[key];
  } else {
    copy[key] = replaced(copy[key], rest, next, remove);
  }
  return copy;
}
