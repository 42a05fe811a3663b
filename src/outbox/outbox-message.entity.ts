import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { JobName } from '../queue/job-catalogue';

/**
 * The intent to do work, written in the same transaction as the state change that calls for it.
 * The relay turns each message into a BullMQ job with a deterministic id and marks it relayed.
 */
@Entity('outbox_message')
@Index(['relayedAt', 'createdAt'])
export class OutboxMessage extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  jobName: JobName;

  /** The BullMQ job id; one message per job. */
  @Index({ unique: true })
  @Column({ type: 'text' })
  jobId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  relayedAt: Date | null;
}
