import fc from 'fast-check';
import { Role } from '../../src/auth/principal';
import { PLAN_CONTENT } from '../pipeline/kur-fixtures';
import { TestApp, startTestApp } from '../support/test-app';
import { markersIn } from './hostile';
import { Operation, operationsOf, resolver } from './openapi';
import { CURRENT_ETAG, Context, FuzzRequest, RoleName, requestFor } from './requests';

/**
 * Property-based fuzzing of every operation the OpenAPI document lists (read from the running
 * app's /docs-json, so an operation added later is fuzzed without touching this file). Each
 * request is valid but for one hostile part: a body field, a path or query parameter, a header,
 * or the role. Whatever is sent: never a 5xx, every error is problem+json, no error repeats what
 * the client sent, and no audit event is written unless a mutation succeeded.
 */
const SEED = 20261123;
/** Requests in all, shared among the operations (10..40 each), so the suite stays within two minutes as operations are added. */
const TOTAL_RUNS = 1200;
const runsPer = (operations: number) => Math.min(40, Math.max(10, Math.ceil(TOTAL_RUNS / operations)));

/** Statuses that show a request got past routing and authorisation into the operation itself. */
const REACHED = (status: number) => (status >= 200 && status < 300) || [400, 409, 412, 422, 428].includes(status);

describe('API fuzzing from the OpenAPI document', () => {
  let api: TestApp;
  let tokens: Record<RoleName, string | null>;
  let context: Context;
  let operations: Operation[];

  beforeAll(async () => {
    api = await startTestApp();
    const seeded = await seed(api);
    tokens = {
      ADMIN: api.tokens.admin,
      SERVICE: api.tokens.service,
      COORDINATOR: await api.tokenFor(Role.COORDINATOR, { areas: [seeded.areaId] }),
      ASSOCIATION_CHIEF: await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: seeded.associationId }),
      ANONYMOUS: null,
    };
    const document = (await api.request('GET', '/docs-json', { token: null })).body;
    operations = operationsOf(document);
    const pathValues = await discoverPathValues(api, operations);
    context = {
      resolve: resolver(document),
      byName: {
        areaId: [seeded.areaId],
        activityId: [seeded.activityId],
        associationId: [seeded.associationId],
        municipalityCode: ['0484'],
        countyCode: ['04'],
      },
      pathValues: (path, name) => pathValues.get(`${path} ${name}`) ?? [],
    };
  });
  afterAll(() => api.close());

  it('finds the operations in /docs-json', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.map((operation) => operation.id)).toEqual(
      expect.arrayContaining(['POST /api/v1/areas', 'GET /api/v1/plans/{id}/revisions/{revision}']),
    );
  });

  it('survives hostile input on every operation, and exercises each', async () => {
    const failures: string[] = [];
    const reached = new Set<string>();
    for (const operation of operations) {
      const result = await fc.check(
        fc.asyncProperty(requestFor(operation, context), async (request) => {
          const status = await sendAndCheck(request);
          if (REACHED(status)) reached.add(operation.id);
        }),
        { seed: SEED ^ hash(operation.id), numRuns: runsPer(operations.length), endOnFailure: true },
      );
      if (result.failed) failures.push(report(operation, result));
    }
    expect(failures).toEqual([]);
    const unexercised = operations.map((operation) => operation.id).filter((id) => !reached.has(id));
    expect(unexercised).toEqual([]);
  }, 150_000);

  /** Sends one request and throws, describing it, when a property does not hold. */
  async function sendAndCheck(request: FuzzRequest): Promise<number> {
    const headers = { ...request.headers };
    if (headers['if-match'] === CURRENT_ETAG) headers['if-match'] = (await currentEtag(request.resource)) ?? '"1"';
    const token = tokens[request.role];
    if (token) headers.authorization = `Bearer ${token}`;
    const before = await auditCount();
    const response = await fetch(`${api.url}${request.url}`, { method: request.method, headers, body: request.body });
    const text = await response.text();
    const audited = (await auditCount()) - before;
    const status = response.status;
    const problems: string[] = [];
    if (status >= 500) problems.push('a 5xx');
    if (status >= 400) problems.push(...problemShape(response, text), ...echoes(request, text));
    const mutated = status >= 200 && status < 300 && request.method !== 'GET';
    if (audited !== 0 && !mutated) problems.push(`${audited} audit event(s) without a successful mutation`);
    if (problems.length) {
      throw new Error(`${problems.join('; ')}\n→ ${status} ${text.slice(0, 1000)}`);
    }
    return status;
  }

  function auditCount(): Promise<number> {
    return api.dataSource.query('SELECT count(*)::int AS n FROM audit_event').then((rows) => rows[0].n);
  }

  /** The ETag of the resource or of the nearest parent that has one (sign-offs are written with the plan's). */
  async function currentEtag(resource: string): Promise<string | undefined> {
    for (let path = resource; path.split('/').length > 4; path = path.slice(0, path.lastIndexOf('/'))) {
      const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${tokens.ADMIN}` } });
      await response.arrayBuffer();
      const etag = response.headers.get('etag');
      if (etag) return etag;
    }
    return undefined;
  }
});

/** What failed, and the request that did it (long values cut), with the seed and path that replay it. */
function report(operation: Operation, result: fc.RunDetails<[FuzzRequest]>): string {
  const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  const request = JSON.stringify(result.counterexample?.[0], (_, value) =>
    typeof value === 'string' && value.length > 120 ? `${value.slice(0, 120)}…(${value.length})` : value,
  );
  return `${operation.id}: ${error}\n  ${request}\n  replay: { seed: ${result.seed}, path: "${result.counterexamplePath}" }`;
}

function problemShape(response: Response, text: string): string[] {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) return [`an error as ${type || 'no content type'}`];
  try {
    const body = JSON.parse(text);
    return body.status === response.status && typeof body.type === 'string' && typeof body.title === 'string'
      ? []
      : ['a problem without type, title or the right status'];
  } catch {
    return ['a problem that is not JSON'];
  }
}

/** The markers of this request found in the error. */
function echoes(request: FuzzRequest, text: string): string[] {
  const sent = new Set([
    ...markersIn(decodeURIComponent(request.url)),
    ...markersIn(JSON.stringify(request.headers)),
    ...markersIn(request.body ?? ''),
  ]);
  const echoed = [...sent].filter((mark) => text.includes(mark));
  return echoed.length ? [`echoes ${echoed.join(', ')}`] : [];
}

/** A small area, activity, plan, association with a member and a sync run, so path parameters can be real. */
async function seed(api: TestApp) {
  const created = async (path: string, body: unknown) => {
    const response = await api.request('POST', path, { body });
    if (response.status >= 300) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  };
  const areaId = await created('/api/v1/areas', {
    name: 'Fuzz med partner',
    kurRegion: 'MITT',
    kurPhase: 'KUR2',
    grantedSek: 400000,
    municipalityCodes: ['0484'],
  });
  const activityId = await created('/api/v1/activities', {
    areaId,
    type: 'COOPERATION_PLAN',
    title: 'Samverkansplan',
    planningPrincipals: ['FK', 'AF', 'MUNICIPALITY', 'REGION'],
  });
  await created('/api/v1/plans', {
    activityId,
    kind: 'COOPERATION',
    content: PLAN_CONTENT,
  });
  const associationId = await created('/api/v1/associations', {
    externalId: 'fuzz-1',
    name: 'Samordningsförbundet Fuzz',
    countyCode: '04',
  });
  const [free] = await api.dataSource.query(
    'SELECT code FROM municipality WHERE code NOT IN (SELECT municipality_code FROM membership WHERE valid_to IS NULL) ORDER BY code LIMIT 1',
  );
  await created(`/api/v1/associations/${associationId}/memberships`, { municipalityCode: free.code });
  await created('/api/v1/sync-runs', { kind: 'PRIO' });
  return { areaId, activityId, associationId };
}

/**
 * Real values for each path parameter: the first items of the list its path is nested under
 * (`/plans/{id}/revisions/{revision}` lists /plans, then /plans/<id>/revisions).
 */
async function discoverPathValues(api: TestApp, operations: Operation[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const { path } of operations) {
    let filled = path;
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
      const list = filled.slice(0, filled.indexOf(`/{${name}}`));
      const response = await api.request('GET', list);
      const items: Record<string, unknown>[] = Array.isArray(response.body?.items) ? response.body.items : [];
      const values = items.slice(0, 3).map((item) => String(item[name] ?? item.id));
      found.set(`${path} ${name}`, values);
      if (!values.length) break;
      filled = filled.replace(`{${name}}`, encodeURIComponent(values[0]));
    }
  }
  return found;
}

/** A stable number per operation, so adding one does not change the inputs of the others. */
function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (Math.imul(value, 31) + char.charCodeAt(0)) | 0;
  return value;
}
