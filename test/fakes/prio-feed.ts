import { PrioRow } from '../../src/prio/prio.service';
import { FailureRule, pause, startFakeServer, takeFailure } from './http-fake';

/**
 * The PRIO inventory feed, faked. There is no public PRIO data set, so every row is SYNTHETIC
 * (`synthetic: true`): one per municipality and year, its numbers derived from a hash, generated
 * page by page so a million rows cost no memory. `GET /v1/inventories?updatedSince=&after=&limit=`
 * pages in (updatedAt, municipalityCode, year) order with an opaque cursor.
 */
export interface PrioFeed {
  url: string;
  /** Bumps the revision and updatedAt of these rows, as a municipality re-inventorying would. */
  updateRows(keys: { municipalityCode: string; year: number }[], at?: Date): void;
  /** Any page whose first row is at position >= n (in the filtered order) fails. */
  failAfterItems(position: number, times: number | 'always', status?: number): void;
  clearFailures(): void;
  setPageDelay(ms: number): void;
  requestCount(): number;
  /** The rows the feed holds now for this watermark, in feed order (small feeds: tests). */
  expectedRows(updatedSince?: string): FeedRow[];
  totalRows(): number;
  close(): Promise<void>;
}

export type FeedRow = PrioRow & { synthetic: true };

/** Base rows were last updated one second apart from this instant, in feed order. */
const BASE_MS = Date.parse('2026-01-01T00:00:00.000Z');
const baseUpdatedAt = (index: number) => new Date(BASE_MS + index * 1000).toISOString();
type Cursor = [updatedAt: string, code: string, year: number];

export async function startPrioFeed(options: {
  municipalityCodes: string[];
  years?: number;
  firstYear?: number;
  pageSize?: number;
}): Promise<PrioFeed> {
  const codes = [...options.municipalityCodes].sort();
  const years = options.years ?? 5;
  const firstYear = options.firstYear ?? 2012;
  const overlay = new Map<number, { revision: number; updatedAt: string }>();
  let failure: (FailureRule & { position: number }) | undefined;
  let delayMs = 0;
  let requests = 0;

  const indexOf = (code: string, year: number) => codes.indexOf(code) * years + (year - firstYear);
  const keyAt = (index: number) => ({
    municipalityCode: codes[Math.floor(index / years)],
    year: firstYear + (index % years),
  });
  const rowAt = (index: number): FeedRow => {
    const { municipalityCode, year } = keyAt(index);
    const changed = overlay.get(index);
    return synthesise(municipalityCode, year, changed?.revision ?? 1, changed?.updatedAt ?? baseUpdatedAt(index));
  };
  const overlaySorted = (since: string) =>
    [...overlay.entries()]
      .filter(([, change]) => change.updatedAt >= since)
      .map(([index, change]) => ({
        index,
        cursor: [change.updatedAt, keyAt(index).municipalityCode, keyAt(index).year] as Cursor,
      }))
      .sort((a, b) => compare(a.cursor, b.cursor));

  const total = () => codes.length * years;
  /** The first base row updated at or after `since`. */
  const firstBaseIndex = (since: string) =>
    Math.min(total(), Math.max(0, Math.ceil((Date.parse(since) - BASE_MS) / 1000)));
  const isBase = (cursor: Cursor) =>
    Date.parse(cursor[0]) < BASE_MS + total() * 1000 && !overlay.has(indexOf(cursor[1], cursor[2]));
  const baseCount = (since: string) =>
    total() - firstBaseIndex(since) - [...overlay.keys()].filter((index) => index >= firstBaseIndex(since)).length;

  /** Rows after the cursor, in feed order, lazily. */
  function* rowsAfter(since: string, after: Cursor | null): Generator<{ row: FeedRow; position: number }> {
    const from = firstBaseIndex(since);
    const start = after === null ? from : isBase(after) ? Math.max(from, indexOf(after[1], after[2]) + 1) : total();
    let position = start - from - [...overlay.keys()].filter((index) => index >= from && index < start).length;
    for (let index = start; index < total(); index++) {
      if (overlay.has(index)) continue;
      yield { row: rowAt(index), position: position++ };
    }
    for (const entry of overlaySorted(since)) {
      if (after && compare(entry.cursor, after) <= 0) {
        position++;
        continue;
      }
      yield { row: rowAt(entry.index), position: position++ };
    }
  }

  const server = await startFakeServer(async (_request, url) => {
    if (url.pathname !== '/v1/inventories') return { status: 404, body: { error: 'not found' } };
    requests++;
    const since = url.searchParams.get('updatedSince') ?? new Date(0).toISOString();
    const limit = Number(url.searchParams.get('limit') ?? options.pageSize ?? 1000);
    const after = parseCursor(url.searchParams.get('after'));
    if (
      Number.isNaN(Date.parse(since)) ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 10_000 ||
      after === undefined
    ) {
      return { status: 400, body: { error: 'bad updatedSince, after or limit (1..10000)' } };
    }
    if (delayMs) await pause(delayMs);
    const sinceIso = new Date(since).toISOString();
    const items: FeedRow[] = [];
    let first: number | null = null;
    let more = false;
    for (const { row, position } of rowsAfter(sinceIso, after)) {
      if (items.length === limit) {
        more = true;
        break;
      }
      first ??= position;
      items.push(row);
    }
    if (failure && first !== null && first >= failure.position) {
      const status = takeFailure(failure);
      if (status) return { status, body: { error: 'told to fail' } };
    }
    const last = items[items.length - 1];
    const totalItems = baseCount(sinceIso) + overlaySorted(sinceIso).length;
    const nextCursor = more && last ? encode([last.updatedAt, last.municipalityCode, last.year]) : null;
    return { status: 200, body: { items, nextCursor, totalItems } };
  });

  return {
    url: server.url,
    updateRows: (keys, at = new Date()) => {
      for (const { municipalityCode, year } of keys) {
        const index = indexOf(municipalityCode, year);
        overlay.set(index, { revision: (overlay.get(index)?.revision ?? 1) + 1, updatedAt: at.toISOString() });
      }
    },
    failAfterItems: (position, times, status = 500) => void (failure = { position, remaining: times, status }),
    clearFailures: () => void (failure = undefined),
    setPageDelay: (ms) => void (delayMs = ms),
    requestCount: () => requests,
    expectedRows: (updatedSince = new Date(0).toISOString()) =>
      [...rowsAfter(new Date(updatedSince).toISOString(), null)].map(({ row }) => row),
    totalRows: () => codes.length * years,
    close: server.close,
  };
}

/** Deterministic synthetic figures for a municipality, year and revision. */
export function synthesise(municipalityCode: string, year: number, revision: number, updatedAt: string): FeedRow {
  const hash = fnv(`${municipalityCode}:${year}:${revision}`);
  const inventoriedPersons = 20 + (hash % 980);
  return {
    municipalityCode,
    year,
    inventoriedPersons,
    unmetHousingNeeds: (hash >>> 10) % (inventoriedPersons + 1),
    unmetOccupationNeeds: (hash >>> 3) % (inventoriedPersons + 1),
    analysisDate: `${year}-${String(1 + (hash % 12)).padStart(2, '0')}-15`,
    employmentStrategyAgreed: hash % 3 !== 0,
    revision,
    updatedAt,
    synthetic: true,
  };
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

function compare(a: Cursor, b: Cursor): number {
  return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[2] - b[2];
}

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** null: no cursor; undefined: a malformed one. */
function parseCursor(text: string | null): Cursor | null | undefined {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'number'
    ) {
      return value as Cursor;
    }
  } catch {
    // malformed
  }
  return undefined;
}
