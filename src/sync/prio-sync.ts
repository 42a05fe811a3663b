import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { PrioRow, PrioService } from '../prio/prio.service';
import { FeedClient } from './feed-client';
import { withSlash } from './registry-sync';
import { SyncKind } from './sync-run.enums';
import { SyncRunsService } from './sync-runs.service';

const EPOCH = '1970-01-01T00:00:00.000Z';
const WRITERS = 2;

interface PrioPage {
  items: PrioRow[];
  nextCursor: string | null;
  totalItems: number;
}

/**
 * The nightly PRIO sync: incremental from the last successful run's watermark, streamed page by
 * page (memory stays flat however large the feed), one set-based upsert per page. The watermark
 * moves only when the whole run succeeds; a killed run re-reads from the old one, and the
 * revision-guarded upsert makes the replay harmless.
 */
@Injectable()
export class PrioSync {
  private readonly logger = new Logger(PrioSync.name);

  constructor(
    private readonly config: AppConfig,
    private readonly feed: FeedClient,
    private readonly prio: PrioService,
    private readonly municipalities: MunicipalitiesService,
    private readonly runs: SyncRunsService,
  ) {}

  since(): Promise<string> {
    return this.runs.lastWatermark(SyncKind.PRIO).then((watermark) => watermark ?? EPOCH);
  }

  async run(runId: string, since: string): Promise<Record<string, unknown>> {
    if (!this.config.PRIO_FEED_URL) throw new Error('PRIO_FEED_URL is not configured');
    const url = new URL('v1/inventories', withSlash(this.config.PRIO_FEED_URL)).toString();
    const known = (await this.municipalities.knownCodes()).municipalities;
    const limit = this.config.PRIO_PAGE_SIZE;
    let watermark = since;
    const fetchPage = (after?: string) => this.feed.page<PrioPage>(url, { updatedSince: since, after, limit });
    const write = async (page: PrioPage) => {
      const valid = page.items.filter((row) => isPrioRow(row) && known.has(row.municipalityCode));
      const result = await this.prio.upsertBatch(valid);
      watermark = latest(watermark, valid);
      const memory = process.memoryUsage();
      this.logger.debug(
        {
          runId,
          rows: page.items.length,
          heapMiB: mib(memory.heapUsed),
          rssMiB: mib(memory.rss),
          externalMiB: mib(memory.external),
        },
        'PRIO page written',
      );
      await this.runs.progress(
        runId,
        { fetched: page.items.length, ...result, failed: page.items.length - valid.length },
        Math.max(1, Math.ceil(page.totalItems / limit)),
        watermark,
      );
    };
    // The next page downloads while earlier ones are written, and two pages (disjoint rows) are
    // written at once: the feed, this process and the database work in parallel, and at most
    // WRITERS + 1 pages are ever held.
    const writing = new Set<Promise<void>>();
    let next: Promise<PrioPage> | null = fetchPage();
    try {
      while (next) {
        const page: PrioPage = await next;
        next = page.nextCursor ? fetchPage(page.nextCursor) : null;
        next?.catch(() => undefined); // observed when awaited; never an unhandled rejection meanwhile
        const written: Promise<void> = write(page).finally(() => writing.delete(written));
        written.catch(() => undefined); // observed through race/all below
        writing.add(written);
        if (writing.size >= WRITERS) await Promise.race(writing);
      }
      await Promise.all(writing);
    } catch (error) {
      // Let the other writer finish its whole batch before the run is marked FAILED.
      await Promise.allSettled(writing);
      throw error;
    }
    return { since, watermark };
  }
}

function isPrioRow(row: PrioRow): boolean {
  const counts = [row?.inventoriedPersons, row?.unmetHousingNeeds, row?.unmetOccupationNeeds, row?.revision, row?.year];
  return (
    typeof row?.municipalityCode === 'string' &&
    counts.every((value) => Number.isInteger(value) && value >= 0) &&
    /^\d{4}-\d{2}-\d{2}$/.test(row.analysisDate) &&
    typeof row.employmentStrategyAgreed === 'boolean' &&
    !Number.isNaN(Date.parse(row.updatedAt))
  );
}

const mib = (bytes: number) => Math.round(bytes / 1048576);

/** The latest of the watermark and the rows' updatedAt, as a normalised ISO string (one parse per row). */
function latest(watermark: string, rows: PrioRow[]): string {
  let latestMs = Date.parse(watermark);
  for (const row of rows) latestMs = Math.max(latestMs, Date.parse(row.updatedAt));
  return latestMs > Date.parse(watermark) ? new Date(latestMs).toISOString() : watermark;
}
