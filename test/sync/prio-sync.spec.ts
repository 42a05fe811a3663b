import { readReferenceData } from '../../src/municipalities/reference-data';
import { SyncKind } from '../../src/sync/sync-run.enums';
import { SyncRunsService } from '../../src/sync/sync-runs.service';
import { PrioFeed, startPrioFeed } from '../fakes/prio-feed';
import { TestApp, startTestApp } from '../support/test-app';
import { feedRows, runPrioSync, storedRows } from './prio-fixtures';

describe('PRIO sync', () => {
  let api: TestApp;
  let feed: PrioFeed;

  beforeAll(async () => {
    feed = await startPrioFeed({ municipalityCodes: readReferenceData().municipalities.map((row) => row.code) });
    api = await startTestApp(
      { PRIO_FEED_URL: feed.url, SYNC_PAGE_ATTEMPTS: '3', SYNC_PAGE_RETRY_MS: '20', PRIO_PAGE_SIZE: '200' },
      { worker: true },
    );
  });
  afterAll(async () => {
    await api.close();
    await feed.close();
  });

  it('loads every inventory of the feed in pages, and stores exactly its rows', async () => {
    const run = await runPrioSync(api);
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      counts: { fetched: 1450, inserted: 1450, updated: 0, unchanged: 0, failed: 0 },
      progress: { pagesDone: 8, pagesKnown: 8, percent: 100 },
    });
    const rows = feed.expectedRows();
    expect(run.watermark).toBe(rows[rows.length - 1].updatedAt);
    expect(await storedRows(api.dataSource)).toEqual(feedRows(rows));
  });

  it('reads only what changed since the last good run', async () => {
    feed.updateRows([
      { municipalityCode: '0180', year: 2014 },
      { municipalityCode: '2480', year: 2016 },
    ]);
    const run = await runPrioSync(api);
    // The boundary row at the old watermark is read again (updatedSince is inclusive) and left alone.
    expect(run).toMatchObject({ status: 'SUCCEEDED', counts: { fetched: 3, inserted: 0, updated: 2, unchanged: 1 } });
    expect(await storedRows(api.dataSource)).toEqual(feedRows(feed.expectedRows()));
  });

  it('ends FAILED with the watermark unchanged when a page keeps failing, then catches up', async () => {
    const [lastGood] = (
      await api.request('GET', '/api/v1/sync-runs?kind=PRIO&status=SUCCEEDED&limit=200')
    ).body.items.slice(-1);
    const changed = feed
      .expectedRows()
      .slice(0, 300)
      .map((row) => ({ municipalityCode: row.municipalityCode, year: row.year }));
    feed.updateRows(changed);
    feed.failAfterItems(200, 'always');

    const failed = await runPrioSync(api);
    expect(failed).toMatchObject({
      status: 'FAILED',
      since: lastGood.watermark,
      progress: { pagesDone: 1, pagesKnown: 2 },
    });
    expect(failed.error).toContain('HTTP 500');
    // The first page (the 2 rows changed before, then 198 of the 300) committed and stays;
    // the next run still starts from the last good watermark.
    const stored = await storedRows(api.dataSource);
    expect(stored.filter((row) => row[7] === 2).length).toBe(200);

    feed.clearFailures();
    const recovered = await runPrioSync(api);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', since: lastGood.watermark });
    expect(recovered.counts).toMatchObject({ fetched: 302, updated: 102, unchanged: 200, failed: 0 });
    expect(await storedRows(api.dataSource)).toEqual(feedRows(feed.expectedRows()));
  });

  it('keeps the later watermark when two pages report out of order', async () => {
    // Two pages are written at once, so the later page's progress may reach the run first.
    const runs = api.app.get(SyncRunsService);
    const run = await runs.requestNow(SyncKind.PRIO, 'tester', { enqueue: false });
    await runs.progress(run.id, { fetched: 200 }, 2, '2026-01-01T00:24:09.000Z');
    await runs.progress(run.id, { fetched: 200 }, 2, '2026-01-01T00:23:19.000Z');
    expect(await runs.get(run.id)).toMatchObject({ watermark: '2026-01-01T00:24:09.000Z', pagesDone: 2, fetched: 400 });
  });
});
