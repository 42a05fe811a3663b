import fc from 'fast-check';
import {
  Known,
  deepValue,
  hostileKey,
  hostileNumberText,
  hostileUrlKey,
  hostileUrlText,
  hostileValue,
  marker,
  pathsOf,
  plausible,
  replaced,
} from './hostile';
import { Operation, Schema } from './openapi';

export const ROLES = ['ADMIN', 'COORDINATOR', 'ASSOCIATION_CHIEF', 'SERVICE', 'ANONYMOUS'] as const;
export type RoleName = (typeof ROLES)[number];

/** Stands for "the ETag the resource has now", looked up just before the request is sent. */
export const CURRENT_ETAG = '<current>';

/** One generated request, before the current ETag is filled in. */
export interface FuzzRequest {
  role: RoleName;
  method: string;
  /** Path and query, encoded. */
  url: string;
  /** The path with its parameters filled in, without the query: where the ETag is read. */
  resource: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Context extends Known {
  resolve: (schema: Schema) => Schema;
  /** Real values of each path parameter of each path template. */
  pathValues: (path: string, name: string) => string[];
}

const role = fc.oneof(
  { arbitrary: fc.constant<RoleName>('ADMIN'), weight: 5 },
  { arbitrary: fc.constantFrom<RoleName>('COORDINATOR', 'ASSOCIATION_CHIEF'), weight: 3 },
  { arbitrary: fc.constantFrom<RoleName>('SERVICE', 'ANONYMOUS'), weight: 1 },
);

const ifMatch = fc.option(
  fc.oneof(
    { arbitrary: fc.constant(CURRENT_ETAG), weight: 6 },
    {
      arbitrary: fc.constantFrom('"1"', '"0"', 'W/"1"', '*', '"99999999999999999999"', '""', '"-1"', '"1", "2"'),
      weight: 2,
    },
    { arbitrary: marker.map((mark) => `"${mark}"`), weight: 1 },
  ),
  { freq: 5 },
);

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/xml',
      'multipart/form-data; boundary=x',
    ),
    weight: 1,
  },
);

/** Every request an operation can be sent: real or hostile parameters, a body valid but for one mutation. */
export function requestFor(operation: Operation, context: Context): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  return fc
    .record({
      role,
      path: fc.tuple(
        ...pathParameters.map((parameter) => pathValue(context.pathValues(operation.path, parameter.name))),
      ),
      query: fc.tuple(
        ...queryParameters.map((parameter) => queryValue(parameter.schema ?? {}, context, parameter.name)),
      ),
      unknownQuery: fc.option(fc.tuple(hostileUrlKey, hostileUrlText), { freq: 6 }),
      ifMatch,
      contentType,
      body: bodyFor(operation, context),
    })
    .map((generated) => {
      let resource = operation.path;
      pathParameters.forEach((parameter, index) => {
        resource = resource.replace(`{${parameter.name}}`, encodeURIComponent(generated.path[index]));
      });
      const query = new URLSearchParams();
      queryParameters.forEach((parameter, index) => {
        const value = generated.query[index];
        if (value !== undefined)
          query.append(parameter.name, typeof value === 'string' ? value : JSON.stringify(value));
      });
      if (generated.unknownQuery) query.append(...generated.unknownQuery);
      const headers: Record<string, string> = {};
      if (generated.ifMatch !== null) headers['if-match'] = generated.ifMatch;
      if (generated.body !== undefined) headers['content-type'] = generated.contentType;
      const search = query.toString();
      return {
        role: generated.role,
        method: operation.method,
        url: search ? `${resource}?${search}` : resource,
        resource,
        headers,
        body: generated.body,
      };
    });
}

function pathValue(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    ...(real.length ? [{ arbitrary: fc.constantFrom(...real), weight: 8 }] : []),
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: hostileUrlText, weight: 1 },
    { arbitrary: hostileNumberText, weight: 1 },
  );
}

function queryValue(schema: Schema, context: Context, name: string): fc.Arbitrary<unknown> {
  return fc.option(
    fc.oneof(
      { arbitrary: plausible(schema, context, context.resolve, name), weight: 3 },
      { arbitrary: hostileUrlText, weight: 1 },
      { arbitrary: hostileNumberText, weight: 1 },
    ),
    { freq: 2, nil: undefined },
  );
}

type Mutation = 'none' | 'replace' | 'remove' | 'null' | 'unknown' | 'whole' | 'malformed';

const mutation = fc.oneof(
  { arbitrary: fc.constant<Mutation>('none'), weight: 3 },
  { arbitrary: fc.constant<Mutation>('replace'), weight: 8 },
  { arbitrary: fc.constantFrom<Mutation>('remove', 'null', 'whole', 'malformed'), weight: 2 },
  { arbitrary: fc.constant<Mutation>('unknown'), weight: 2 },
);

/** The body as sent (JSON text), or undefined when the operation takes none and none is sent. */
function bodyFor(operation: Operation, context: Context): fc.Arbitrary<string | undefined> {
  if (operation.method === 'GET' || operation.method === 'HEAD') return fc.constant(undefined);
  if (!operation.body) {
    // An operation without a body is still sent one now and then: a handler must not care.
    return fc.option(fc.oneof(hostileValue, deepValue).map(json), { freq: 3, nil: undefined });
  }
  return fc
    .record({
      base: plausible(operation.body, context, context.resolve),
      mutation,
      at: fc.nat(),
      value: hostileValue,
      key: hostileKey,
    })
    .map(({ base, mutation, at, value, key }) => {
      const paths = pathsOf(base);
      const path = paths[at % paths.length];
      switch (mutation) {
        case 'none':
          return json(base);
        case 'replace':
          return json(replaced(base, path, value));
        case 'remove':
          return json(replaced(base, path, undefined, true));
        case 'null':
          return json(replaced(base, path, null));
        case 'unknown':
          return json(withUnknownField(base, paths, at, key, value));
        case 'whole':
          return json(value);
        case 'malformed':
          return json(base).slice(0, at % 40) + key;
      }
    });
}

/** Adds a field no schema knows to one of the objects in the body (the body itself when it is one). */
function withUnknownField(
  base: unknown,
  paths: (string | number)[][],
  at: number,
  key: string,
  value: unknown,
): unknown {
  const objects = paths.filter((path) => isObject(path.reduce((inner: any, step) => inner?.[step], base)));
  if (objects.length === 0) return base;
  const path = objects[at % objects.length];
  const target = path.reduce((inner: any, step) => inner[step], base);
  return replaced(base, path, { ...target, [key]: value });
}

const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON text; deep values are built as text by JSON.stringify, which recurses, so they stay within its reach. */
const json = (value: unknown): string => JSON.stringify(value) ?? 'null';
