import { RegistryRecord } from '../../src/associations/registry-record';
import { FailureRule, pause, startFakeServer, takeFailure } from './http-fake';

/**
 * The Finsam registry, faked: `GET /v1/associations?page=&pageSize=` answers a page of
 * associations sorted by externalId with `totalPages`. Data can change between runs; pages can
 * fail or answer slowly on request.
 */
export interface FinsamRegistry {
  url: string;
  setAssociations(associations: RegistryRecord[]): void;
  failPage(page: number, times: number | 'always', status?: number): void;
  clearFailures(): void;
  setPageDelay(ms: number): void;
  requestCount(): number;
  close(): Promise<void>;
}

export async function startFinsamRegistry(options: {
  associations: RegistryRecord[];
  pageSize?: number;
}): Promise<FinsamRegistry> {
  let associations = sorted(options.associations);
  const failures = new Map<number, FailureRule>();
  let delayMs = 0;
  let requests = 0;
  const server = await startFakeServer(async (request, url) => {
    if (url.pathname !== '/v1/associations') return { status: 404, body: { error: 'not found' } };
    requests++;
    const page = Number(url.searchParams.get('page') ?? '1');
    const pageSize = Number(url.searchParams.get('pageSize') ?? options.pageSize ?? 20);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
      return { status: 400, body: { error: 'page must be >= 1 and pageSize 1..200' } };
    }
    if (delayMs) await pause(delayMs);
    const failure = takeFailure(failures.get(page));
    if (failure) return { status: failure, body: { error: 'told to fail' } };
    const totalPages = Math.max(1, Math.ceil(associations.length / pageSize));
    return {
      status: 200,
      body: {
        items: associations.slice((page - 1) * pageSize, page * pageSize),
        page,
        pageSize,
        totalPages,
        totalItems: associations.length,
      },
    };
  });
  return {
    url: server.url,
    setAssociations: (list) => void (associations = sorted(list)),
    failPage: (page, times, status = 500) => void failures.set(page, { remaining: times, status }),
    clearFailures: () => failures.clear(),
    setPageDelay: (ms) => void (delayMs = ms),
    requestCount: () => requests,
    close: server.close,
  };
}

const sorted = (list: RegistryRecord[]) => [...list].sort((a, b) => a.externalId.localeCompare(b.externalId));
