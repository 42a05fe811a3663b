import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/data-files';

/** The committed contract; test/schema/openapi.spec.ts keeps it equal to what the app serves. */
export const OPENAPI_FILE = join(packageRoot(), 'openapi.json');

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  headers?: Record<string, { required?: boolean; schema?: object }>;
  content?: Record<string, MediaType>;
}
interface Route {
  method: string;
  pattern: RegExp;
  /** Per status: the response and where it is in the document (its own place or the named response). */
  responses: Record<string, { response: ResponseObject; pointer: string }>;
}

/**
 * Checks one HTTP response against the committed OpenAPI document: the operation exists, the status
 * is documented for it, the content type is one it documents and the body matches that schema
 * (Ajv, which reads OpenAPI 3.0's `nullable`), and every required header is present and valid.
 */
class OpenApiContract {
  private readonly document = withNullableAsJsonSchema(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addSchema(this.document, 'openapi.json');
    this.routes = Object.entries(this.document.paths as Record<string, Record<string, { responses: object }>>).flatMap(
      ([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          responses: Object.fromEntries(
            Object.entries(operation.responses).map(([status, response]: [string, { $ref?: string }]) => {
              const at = response.$ref ?? `#/paths/${escape(path)}/${method}/responses/${status}`;
              return [status, { response: pointer(this.document, at) as ResponseObject, pointer: at }];
            }),
          ),
        })),
    );
  }

  /** The reasons the response breaks the contract; empty (or null for an unknown route's 404) when it keeps it. */
  check(method: string, path: string, status: number, headers: Headers, body: unknown): string[] | null {
    const route = this.routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    if (!route) return status === 404 ? null : [`${method} ${path} is not a documented operation (answered ${status})`];
    const documented = route.responses[String(status)];
    if (!documented) return [`status ${status} is not documented for ${method} ${path}`];
    const { response } = documented;
    const problems = this.checkHeaders(response, headers);
    const contentType = headers.get('content-type')?.split(';')[0].trim();
    if (!contentType) return problems;
    const media = response.content?.[contentType];
    if (!media) return [...problems, `content type ${contentType} is not documented for ${status}`];
    const validate = this.validator(`${documented.pointer}/content/${escape(contentType)}/schema`);
    if (!validate(body)) problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
    return problems;
  }

  private checkHeaders(response: ResponseObject, headers: Headers): string[] {
    return Object.entries(resolve(this.document, response.headers ?? {}) as ResponseObject['headers'] & object).flatMap(
      ([name, header]) => {
        const value = headers.get(name);
        if (value === null) return header.required ? [`header ${name} is missing`] : [];
        const schema = header.schema as { type?: string } | undefined;
        const typed = schema?.type === 'integer' ? Number(value) : value;
        return !schema || this.ajv.validate(schema, typed) ? [] : [`header ${name}: ${this.ajv.errorsText()}`];
      },
    );
  }

  /** Compiled once per schema; its `$ref`s resolve inside the document. */
  private validator(schemaPointer: string): ValidateFunction {
    let validate = this.compiled.get(schemaPointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json${schemaPointer}` });
      this.compiled.set(schemaPointer, validate);
    }
    return validate;
  }
}

/**
 * OpenAPI 3.0's `nullable: true` beside `allOf: [{$ref}]` (how Nest writes a nullable object) means
 * "this or null" to every generator; JSON Schema needs it spelled out for Ajv.
 */
function withNullableAsJsonSchema(node: unknown): any {
  if (Array.isArray(node)) return node.map(withNullableAsJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNullableAsJsonSchema(value)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const isApiPath = (path: string): boolean => path.startsWith('/api/') || path.startsWith('/health/');

/** JSON Pointer escaping of one segment. */
const escape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows local `$ref`s one level per value (responses and headers are referenced whole). */
function resolve(document: object, map: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => {
      const ref = (value as { $ref?: string }).$ref;
      return [key, ref ? pointer(document, ref) : value];
    }),
  );
}

function pointer(document: object, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], document);
}

let contract: OpenApiContract | undefined;

/** Throws when a response breaks the committed contract; every e2e request goes through this. */
export function assertKeepsContract(method: string, url: string, status: number, headers: Headers, body: unknown): void {
  const path = new URL(url).pathname;
  // Docs and the queue board are not the API; preflights and HEAD are answered by the framework.
  if (!isApiPath(path) || method === 'OPTIONS' || method === 'HEAD') return;
  contract ??= new OpenApiContract();
  const problems = contract.check(method.toUpperCase(), path, status, headers, body);
  if (problems?.length) {
    throw new Error(
      `${method} ${url} answered ${status}, which breaks openapi.json:\n  ${problems.join('\n  ')}\n` +
        `body: ${JSON.stringify(body)?.slice(0, 2000)}`,
    );
  }
}
