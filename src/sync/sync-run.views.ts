import { SyncRun } from './sync-run.entity';

export const toSyncRunView = (run: SyncRun) => ({
  id: run.id,
  kind: run.kind,
  trigger: run.trigger,
  status: run.status,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  counts: {
    fetched: run.fetched,
    inserted: run.inserted,
    updated: run.updated,
    unchanged: run.unchanged,
    failed: run.failed,
  },
  since: run.since,
  watermark: run.watermark,
  progress: {
    pagesDone: run.pagesDone,
    pagesKnown: run.pagesKnown,
    percent: run.pagesKnown ? Math.min(100, Math.round((100 * run.pagesDone) / run.pagesKnown)) : null,
  },
  error: run.error,
  details: run.details,
  createdAt: run.createdAt,
});
