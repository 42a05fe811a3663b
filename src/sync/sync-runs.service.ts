import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import { Page, TimeOrderedPageQuery, paginate } from '../core/http/pagination';
import { notFound } from '../core/domain/errors';
import { MetricsService } from '../metrics/metrics.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { SyncRun } from './sync-run.entity';
import { SyncKind, SyncStatus, SyncTrigger } from './sync-run.enums';

const FINISHED = [SyncStatus.SUCCEEDED, SyncStatus.PARTIAL, SyncStatus.FAILED];
/** The later of the stored watermark and :watermark (both ISO text), compared as times. */
const LATER_WATERMARK = `CASE WHEN watermark IS NULL
  OR CAST(watermark AS timestamptz) < CAST(CAST(:watermark AS text) AS timestamptz) THEN CAST(:watermark AS text)
  ELSE watermark END`;

export interface SyncCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface RunFilter extends TimeOrderedPageQuery {
  kind?: SyncKind;
  status?: SyncStatus;
}

/** The record of sync runs: created with their job in one transaction, updated as they progress. */
@Injectable()
export class SyncRunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** A run asked for now: through the API (a worker carries it out) or the CLI (`enqueue: false`, run in place). */
  requestNow(kind: SyncKind, actor: string, { enqueue = true } = {}): Promise<SyncRun> {
    return this.dataSource.transaction(async (manager) => {
      const run = await manager.save(
        manager.create(SyncRun, { kind, trigger: SyncTrigger.MANUAL, status: SyncStatus.QUEUED }),
      );
      if (enqueue) await this.outbox.add(manager, JobName.RUN_SYNC, { runId: run.id });
      await this.audit.record(manager, {
        actor,
        action: 'sync_run.requested',
        entityType: 'sync_run',
        entityId: run.id,
        changes: { kind },
      });
      return run;
    });
  }

  /**
   * Tonight's scheduled run of a kind. Every instance's cron calls this; the unique schedule key
   * lets exactly one insert win, so N instances run each sync once.
   */
  scheduleNight(kind: SyncKind, night: string): Promise<SyncRun | null> {
    return this.insertNight(kind, night, false);
  }

  /**
   * A night a worker found missed at start-up: queued under that night's key (so it runs once,
   * whoever asks), but only for a kind that has run on schedule before.
   */
  catchUpNight(kind: SyncKind, night: string): Promise<SyncRun | null> {
    return this.insertNight(kind, night, true);
  }

  private insertNight(kind: SyncKind, night: string, onlyIfScheduledBefore: boolean): Promise<SyncRun | null> {
    return this.dataSource.transaction(async (manager) => {
      const [inserted] = await manager.query<{ id: string }[]>(
        `INSERT INTO sync_run (kind, trigger, status, schedule_key)
         SELECT $1, 'SCHEDULE', 'QUEUED', $2
         WHERE NOT $3 OR EXISTS (SELECT 1 FROM sync_run WHERE kind = $1 AND trigger = 'SCHEDULE')
         ON CONFLICT (schedule_key) DO NOTHING RETURNING id`,
        [kind, `${kind}:${night}`, onlyIfScheduledBefore],
      );
      const runId = inserted?.id;
      if (!runId) return null;
      await this.outbox.add(manager, JobName.RUN_SYNC, { runId });
      return manager.findOneByOrFail(SyncRun, { id: runId });
    });
  }

  list(filter: RunFilter): Promise<Page<SyncRun>> {
    const query = this.dataSource.getRepository(SyncRun).createQueryBuilder('run');
    if (filter.kind) query.andWhere('run.kind = :kind', { kind: filter.kind });
    if (filter.status) query.andWhere('run.status = :status', { status: filter.status });
    return paginate(
      query,
      [
        { column: 'run.created_at', value: (run) => run.createdAt },
        { column: 'run.id', value: (run) => run.id },
      ],
      filter,
      filter.order,
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<SyncRun> {
    const run = await this.find(id, manager);
    if (!run) throw notFound('Sync run', id);
    return run;
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<SyncRun | null> {
    return manager.getRepository(SyncRun).findOneBy({ id });
  }

  /** Marks the run RUNNING from scratch (a retried run starts over: its writes are idempotent). */
  async start(id: string, since: string | null): Promise<SyncRun | null> {
    const run = await this.get(id);
    if (FINISHED.includes(run.status)) return null;
    Object.assign(run, {
      status: SyncStatus.RUNNING,
      startedAt: new Date(),
      since,
      watermark: null,
      pagesDone: 0,
      pagesKnown: null,
      fetched: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      error: null,
    });
    return this.dataSource.getRepository(SyncRun).save(run);
  }

  /**
   * Adds a page's counts and moves the progress on. The watermark only moves forward: pages are
   * written two at a time, and their updates may reach the row in either order.
   */
  progress(id: string, counts: Partial<SyncCounts>, pagesKnown: number | null, watermark?: string | null) {
    const progress = { pagesDone: () => 'pages_done + 1', pagesKnown };
    if (!watermark) return this.add(id, counts, progress);
    return this.add(id, counts, { ...progress, watermark: () => LATER_WATERMARK }, { watermark });
  }

  /** Adds counts without moving the progress (work on pages counted when they were read). */
  count(id: string, counts: Partial<SyncCounts>): Promise<void> {
    return this.add(id, counts, {});
  }

  async finish(id: string, outcome: { error?: string; details?: Record<string, unknown>; partial?: boolean }) {
    const run = await this.get(id);
    Object.assign(run, {
      status: outcome.error ? SyncStatus.FAILED : outcome.partial ? SyncStatus.PARTIAL : SyncStatus.SUCCEEDED,
      finishedAt: new Date(),
      error: outcome.error ?? null,
      details: outcome.details ?? run.details,
    });
    const ended = await this.dataSource.getRepository(SyncRun).save(run);
    this.metrics.syncRunEnded(ended);
    return ended;
  }

  private async add(
    id: string,
    counts: Partial<SyncCounts>,
    more: QueryDeepPartialEntity<SyncRun>,
    parameters: Record<string, unknown> = {},
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(SyncRun)
      .set({
        fetched: () => `fetched + ${counts.fetched ?? 0}`,
        inserted: () => `inserted + ${counts.inserted ?? 0}`,
        updated: () => `updated + ${counts.updated ?? 0}`,
        unchanged: () => `unchanged + ${counts.unchanged ?? 0}`,
        failed: () => `failed + ${counts.failed ?? 0}`,
        ...more,
      })
      .where('id = :id', { id })
      .setParameters(parameters)
      .execute();
  }

  /** Where the next PRIO run starts: the watermark of the last successful run. */
  async lastWatermark(kind: SyncKind): Promise<string | null> {
    const last = await this.dataSource.getRepository(SyncRun).findOne({
      where: { kind, status: SyncStatus.SUCCEEDED },
      order: { finishedAt: 'DESC' },
    });
    return last?.watermark ?? last?.since ?? null;
  }
}
