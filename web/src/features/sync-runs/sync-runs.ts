import { api, data } from '../../api/client';
import type { components } from '../../api/generated';
import { formatNumber } from '../../shared/format';

export type SyncRun = components['schemas']['SyncRunView'];
export type SyncKind = SyncRun['kind'];
export type SyncStatus = SyncRun['status'];

/** The kinds an administrator starts by hand here (the others run on their own schedule). */
export const STARTABLE_KINDS: SyncKind[] = ['REGISTRY', 'PRIO'];
export const ALL_KINDS: SyncKind[] = ['REGISTRY', 'PRIO', 'HANDOVER_SWEEP', 'FOLLOW_UP'];
export const ALL_STATUSES: SyncStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED'];

export const hasEnded = (run: SyncRun): boolean => !['QUEUED', 'RUNNING'].includes(run.status);

export const readRun = (id: string): Promise<SyncRun> =>
  data(api.GET('/api/v1/sync-runs/{id}', { params: { path: { id } } }));

export const startRun = (kind: SyncKind): Promise<SyncRun> =>
  data(api.POST('/api/v1/sync-runs', { body: { kind } }));

/** How far a run has come, 0–100: the API's percent while it runs, full once it has ended well. */
export function percentOf(run: SyncRun): number {
  if (run.status === 'SUCCEEDED' || run.status === 'PARTIAL') return 100;
  return run.progress.percent ?? 0;
}

/** "2 min 5 s", "0,8 s"; a run still going counts up to now. */
export function durationOf(run: SyncRun, now: Date = new Date()): string {
  if (!run.startedAt) return '–';
  const end = run.finishedAt ? new Date(run.finishedAt) : now;
  const seconds = Math.max(0, (end.getTime() - new Date(run.startedAt).getTime()) / 1000);
  if (seconds < 10) return `${seconds.toLocaleString('sv-SE', { maximumFractionDigits: 1 })} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes === 0 ? `${rest} s` : `${minutes} min ${rest} s`;
}

/** The run's row counts as one line a person reads. */
export function countsOf(run: SyncRun): string {
  const { fetched, inserted, updated, unchanged, failed } = run.counts;
  const parts = [
    `${formatNumber(fetched)} hämtade`,
    `${formatNumber(inserted)} nya`,
    `${formatNumber(updated)} ändrade`,
    `${formatNumber(unchanged)} oförändrade`,
  ];
  if (failed > 0) parts.push(`${formatNumber(failed)} avvisade`);
  return parts.join(', ');
}
