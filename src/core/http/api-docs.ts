import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  OpenAPIObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';

/*
 * The OpenAPI contract, in one place: problem+json schemas and named responses, the headers every
 * response carries, and `ApiEndpoint`, the one decorator an operation needs (through the auth
 * module's `Endpoint`, which adds who may call it). Controllers name what is theirs (summary,
 * view class, the statuses their rules answer); everything common is added here.
 */

/** Property options for timestamps (a Date in the view, an ISO string on the wire). */
export const DATE_TIME = { type: String, format: 'date-time' } as const;
/** Property options for calendar dates (YYYY-MM-DD). */
export const DATE = { type: String, format: 'date', example: '2015-12-31' } as const;

/** What every versioned resource's view ends with. */
export class VersionedView {
  @ApiProperty({ type: 'integer', description: 'Optimistic-concurrency version; the ETag where one is sent' })
  version: number;

  @ApiProperty(DATE_TIME)
  createdAt: Date;

  @ApiProperty(DATE_TIME)
  updatedAt: Date;
}

export class FieldErrorView {
  @ApiProperty({ example: 'grantedSek' })
  field: string;

  @ApiProperty({ example: 'grantedSek must not be greater than 500000' })
  message: string;
}

/** RFC 9457 problem details, as every error leaves this service. */
export class Problem {
  @ApiProperty({ description: 'Problem type: a relative URI documented in the README', example: '/problems/not-found' })
  type: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: 'integer' })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ description: 'The route that answered (a template, never the URL sent)' })
  instance?: string;

  @ApiPropertyOptional({ description: 'The x-request-id of the response' })
  requestId?: string;
}

export class ValidationProblem extends Problem {
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'Every field that is wrong (absent for malformed JSON)' })
  errors?: FieldErrorView[];
}

export class RuleViolationProblem extends Problem {
  @ApiProperty({ description: 'The KUR rule that was broken (README, "The API")', example: 'GRANT_LIMIT' })
  rule: string;
}

export class PreconditionFailedProblem extends Problem {
  @ApiPropertyOptional({ type: 'integer', description: 'The stored version, when the one sent is stale' })
  currentVersion?: number;
}

export class InternalErrorProblem extends Problem {
  @ApiProperty({ format: 'uuid', description: 'Quote it when reporting the error; the log has the details' })
  errorId: string;
}

interface ProblemResponse {
  name: string;
  description: string;
  schema: Type<Problem>;
  example: Record<string, unknown>;
  retryAfter?: boolean;
}

const example = (status: number, slug: string, title: string, detail: string, extra: object = {}) => ({
  type: slug === 'about:blank' ? slug : `/problems/${slug}`,
  title,
  status,
  detail,
  instance: '/api/v1/areas/:id',
  requestId: 'b5e1c7a0-2f4d-4e8a-9c3b-7d6e5f4a3b2c',
  ...extra,
});

/** Every error status an operation can answer, with its reusable response component. */
const PROBLEMS = {
  400: {
    name: 'BadRequest',
    description:
      'A field, parameter or cursor is not valid (`/problems/validation`, with `errors`), or the request cannot be read (`/problems/malformed-request`)',
    schema: ValidationProblem,
    example: example(400, 'validation', 'Bad Request', 'The request is not valid', {
      errors: [{ field: 'grantedSek', message: 'grantedSek must not be greater than 500000' }],
    }),
  },
  401: {
    name: 'Unauthorized',
    description: 'No valid bearer token',
    schema: Problem,
    example: example(401, 'unauthorised', 'Unauthorized', 'A valid bearer token is required'),
  },
  403: {
    name: 'Forbidden',
    description: "The token's role may not call this operation",
    schema: Problem,
    example: example(403, 'forbidden', 'Forbidden', 'The SERVICE role may not call this endpoint'),
  },
  404: {
    name: 'NotFound',
    description: 'It does not exist, or it is outside your scope (404, not 403, so ids do not leak)',
    schema: Problem,
    example: example(404, 'not-found', 'Not Found', 'Area 3f2d6c1e-… does not exist or is not visible to you'),
  },
  409: {
    name: 'Conflict',
    description: 'It conflicts with what exists (a duplicate, or a state that does not allow it)',
    schema: Problem,
    example: example(409, 'conflict', 'Conflict', 'An area with this name exists already in KUR2'),
  },
  412: {
    name: 'PreconditionFailed',
    description: 'If-Match does not match the current version: read it again',
    schema: PreconditionFailedProblem,
    example: example(412, 'precondition-failed', 'Precondition Failed', 'Area has changed since you read it', {
      currentVersion: 4,
    }),
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is larger than 1 MiB',
    schema: Problem,
    example: example(413, 'payload-too-large', 'Payload Too Large', 'The body is larger than the 1 MiB limit'),
  },
  414: {
    name: 'UriTooLong',
    description: 'A path segment is longer than the router takes (100 characters)',
    schema: Problem,
    example: example(414, 'uri-too-long', 'URI Too Long', 'A path segment of the URL is too long'),
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not application/json',
    schema: Problem,
    example: example(
      415,
      'unsupported-media-type',
      'Unsupported Media Type',
      'Send request bodies as application/json',
    ),
  },
  422: {
    name: 'RuleViolation',
    description: 'A KUR rule is broken; `rule` names it',
    schema: RuleViolationProblem,
    example: example(422, 'rules/grant-limit', 'KUR rule violated', 'grantedSek must be between 0 and 500000 SEK', {
      rule: 'GRANT_LIMIT',
    }),
  },
  428: {
    name: 'PreconditionRequired',
    description: 'If-Match is missing: send the ETag you read',
    schema: Problem,
    example: example(428, 'precondition-required', 'Precondition Required', 'Send If-Match with the ETag you read'),
  },
  500: {
    name: 'InternalServerError',
    description: 'Something went wrong on our side; quote the error id',
    schema: InternalErrorProblem,
    example: example(500, 'internal', 'Internal Server Error', 'Something went wrong on our side', {
      errorId: '0d9b3f52-6c1a-4e7b-8f3d-2a1b0c9d8e7f',
    }),
  },
  503: {
    name: 'ServiceUnavailable',
    description:
      'Try again shortly: a dependency does not answer (`/problems/unavailable`), or a change collided with concurrent changes and nothing was saved (`/problems/contention`)',
    schema: Problem,
    example: example(
      503,
      'unavailable',
      'Service Unavailable',
      'A service this one depends on does not answer; try again shortly',
    ),
    retryAfter: true,
  },
} satisfies Record<number, ProblemResponse>;

export type ProblemStatus = keyof typeof PROBLEMS;

const HEADERS = {
  RequestId: {
    description: 'The request id: in every response and in the log line (sent by the client or generated)',
    required: true,
    schema: { type: 'string' },
  },
  ETag: {
    description: "The resource's version; send it back as If-Match to change it",
    required: true,
    schema: { type: 'string', example: '"3"' },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again, when the service can tell',
    schema: { type: 'integer', minimum: 0 },
  },
};

const header = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

export interface SuccessDoc {
  status: 200 | 201 | 202 | 204;
  /** The body's view class; none for 204. */
  type?: Type<unknown>;
  description?: string;
  /** The response carries the resource's version as ETag. */
  etag?: boolean;
  /** It can also answer as CSV (text/csv). */
  csv?: boolean;
}

export interface EndpointDoc {
  summary: string;
  description?: string;
  /** Who may call it (roles and scope), for the description. */
  access: string;
  responses: SuccessDoc | SuccessDoc[];
  /** Error statuses this operation's rules answer; 401 (unless public) and 500 are added. */
  errors?: ProblemStatus[];
  /** Takes a JSON body (a write): adds 400, 413, 415, and 503 for a write that lost to concurrent ones. */
  body?: boolean;
  /** Needs no token (health). */
  public?: boolean;
  /** Restricted to some roles: adds 403. */
  restricted?: boolean;
}

/** Documents one operation completely: summary, access, every status with its schema and headers. */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const successes = Array.isArray(doc.responses) ? doc.responses : [doc.responses];
  const errors = new Set<ProblemStatus>([
    ...(doc.errors ?? []),
    ...(doc.body ? ([400, 413, 415, 503] as const) : []),
    ...(doc.public ? [] : [401 as const]),
    ...(doc.restricted ? [403 as const] : []),
    500,
  ]);
  const description = [doc.description, `**Who may call:** ${doc.access}`].filter(Boolean).join('\n\n');
  return applyDecorators(
    ApiOperation({ summary: doc.summary, description, ...(doc.public ? { security: [] } : {}) }),
    ...successes.map((success) => ApiSuccess(success)),
    ...[...errors].sort().map((status) => ApiProblem(status)),
  );
}

function ApiSuccess(success: SuccessDoc): MethodDecorator {
  const options = {
    status: success.status,
    description: success.description ?? defaultDescription(success.status),
    headers: { 'x-request-id': header('RequestId'), ...(success.etag ? { ETag: header('ETag') } : {}) },
  };
  if (!success.type) return ApiResponse(options);
  if (!success.csv) return ApiResponse({ ...options, type: success.type });
  const json = { schema: { $ref: getSchemaPath(success.type) } };
  return applyDecorators(
    ApiExtraModels(success.type),
    ApiResponse({ ...options, content: { 'application/json': json, 'text/csv': { schema: { type: 'string' } } } }),
  );
}

/** One error status, as a reference to its named response. */
export function ApiProblem(status: ProblemStatus): MethodDecorator {
  // Nest copies unknown keys through, so the operation gets `{$ref}` to the named response.
  return ApiResponse({ status, $ref: `#/components/responses/${PROBLEMS[status].name}` } as never);
}

const defaultDescription = (status: number): string =>
  ({ 200: 'OK', 201: 'Created', 202: 'Accepted' })[status] ?? 'Success';

/** The document served at /docs-json and committed as openapi.json. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('KUR Handover')
    .setDescription('Areas, activities and plans of the KUR project, handed over to the coordination associations.')
    .setVersion('1')
    .setLicense('UNLICENSED (proprietary)', undefined as never)
    .addServer('/', 'This server')
    .addBearerAuth()
    .addCookieAuth('kur-session')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('cookie')
    .build();
  const problemModels = [...new Set(Object.values(PROBLEMS).map((problem: ProblemResponse) => problem.schema))];
  return completeDocument(
    SwaggerModule.createDocument(app, config, {
      extraModels: problemModels,
      // areasList, handoversFinish: names a generated client can use as they are.
      operationIdFactory: (controller, method) =>
        `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${method.replace(/^./, (c) => c.toUpperCase())}`,
    }),
  );
}

/**
 * Adds the shared components (named problem responses, headers) to a generated document and
 * cleans what Nest emits around `$ref` responses.
 */
function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  components.headers = { ...components.headers, ...HEADERS };
  components.responses = Object.fromEntries(
    Object.values(PROBLEMS).map((problem: ProblemResponse) => [
      problem.name,
      {
        description: problem.description,
        headers: {
          'x-request-id': header('RequestId'),
          ...(problem.retryAfter ? { 'Retry-After': header('RetryAfter') } : {}),
        },
        content: {
          'application/problem+json': {
            schema: { $ref: `#/components/schemas/${problem.schema.name}` },
            example: problem.example,
          },
        },
      },
    ]),
  );
  for (const operation of operations(document)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if ('$ref' in response) operation.responses[status] = { $ref: response.$ref };
    }
    const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
    // `id` and `…Id` path parameters are parsed by UuidParam (or its kin) in every controller.
    for (const parameter of pathParameters) {
      if (/^(id|\w+Id)$/.test(parameter.name)) parameter.schema = { type: 'string', format: 'uuid' };
    }
    // Fastify's router refuses an over-long path parameter before the operation runs.
    if (pathParameters.length) operation.responses['414'] = { $ref: '#/components/responses/UriTooLong' };
  }
  document.components = components;
  return document;
}

type Operation = {
  responses: Record<string, object>;
  parameters?: { in: string; name: string; schema?: object }[];
};

function operations(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) =>
      item[method] ? [item[method] as Operation] : [],
    ),
  );
}

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The list envelope `{items, nextCursor}` of one view, as its own schema (AreaView -> AreaPage). */
export function PageOf<T>(item: Type<T>): Type<{ items: T[]; nextCursor: string | null }> {
  const known = pages.get(item);
  if (known) return known as never;
  class Page {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
    nextCursor: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pages.set(item, Page);
  return Page;
}
