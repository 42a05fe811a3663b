import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { SyncKind, SyncStatus, SyncTrigger } from './sync-run.enums';

/** One run of a nightly job: what it fetched and changed, how far it got, and how it ended. */
@Entity('sync_run')
@Index(['status', 'createdAt'])
@Index(['kind', 'status', 'finishedAt'])
@Index(['createdAt', 'id'])
export class SyncRun extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: SyncKind, enumName: 'sync_kind' })
  kind: SyncKind;

  @Column({ type: 'enum', enum: SyncTrigger, enumName: 'sync_trigger' })
  trigger: SyncTrigger;

  /** `<kind>:<night>` for scheduled runs: every instance's cron tries to insert it, one succeeds. */
  @Index({ unique: true })
  @Column({ type: 'text', nullable: true })
  scheduleKey: string | null;

  @Column({ type: 'enum', enum: SyncStatus, enumName: 'sync_status', default: SyncStatus.QUEUED })
  status: SyncStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  fetched: number;

  @Column({ type: 'integer', default: 0 })
  inserted: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  unchanged: number;

  @Column({ type: 'integer', default: 0 })
  failed: number;

  /** PRIO: the updatedSince this run read from (the last successful run's watermark). */
  @Column({ type: 'text', nullable: true })
  since: string | null;

  /** PRIO: the newest updatedAt seen; the next run starts here only if this one succeeded. */
  @Column({ type: 'text', nullable: true })
  watermark: string | null;

  @Column({ type: 'integer', default: 0 })
  pagesDone: number;

  @Column({ type: 'integer', nullable: true })
  pagesKnown: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** What changed that a person should see (registry: who joined and left). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
