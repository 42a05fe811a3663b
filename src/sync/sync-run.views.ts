import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '../core/http/api-docs';
import { SyncRun } from './sync-run.entity';
import { SyncKind, SyncStatus, SyncTrigger } from './sync-run.enums';

export class SyncCountsView {
  @ApiProperty({ type: 'integer' })
  fetched: number;

  @ApiProperty({ type: 'integer' })
  inserted: number;

  @ApiProperty({ type: 'integer' })
  updated: number;

  @ApiProperty({ type: 'integer' })
  unchanged: number;

  @ApiProperty({ type: 'integer', description: 'Rows rejected as invalid' })
  failed: number;
}

export class SyncProgressView {
  @ApiProperty({ type: 'integer' })
  pagesDone: number;

  @ApiProperty({ type: 'integer', nullable: true })
  pagesKnown: number | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100 })
  percent: number | null;
}

export class SyncRunView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SyncKind })
  kind: SyncKind;

  @ApiProperty({ enum: SyncTrigger })
  trigger: SyncTrigger;

  @ApiProperty({ enum: SyncStatus })
  status: SyncStatus;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  startedAt: Date | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  finishedAt: Date | null;

  @ApiProperty({ type: SyncCountsView })
  counts: SyncCountsView;

  @ApiProperty({ type: String, nullable: true, description: 'PRIO: the watermark this run read from' })
  since: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'PRIO: where the next run reads from' })
  watermark: string | null;

  @ApiProperty({ type: SyncProgressView })
  progress: SyncProgressView;

  @ApiProperty({ type: String, nullable: true })
  error: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the run found, by kind' })
  details: Record<string, unknown>;

  @ApiProperty(DATE_TIME)
  createdAt: Date;
}

export const toSyncRunView = (run: SyncRun): SyncRunView => ({
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
