import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { CoordinationAssociation } from '../associations/coordination-association.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  PUSH = 'PUSH',
}

export enum NotificationStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  /** Nothing to send it with (no SMTP configured): recorded so an operator sees it. */
  SKIPPED = 'SKIPPED',
}

/**
 * One announcement to an association by one channel: who, what, when and how it went. The
 * dedupe key (event, subject, channel) makes announcing twice impossible.
 */
@Entity('notification')
@Index(['createdAt', 'id'])
export class Notification extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'text' })
  dedupeKey: string;

  /** kur.follow-up.due, kur.follow-up.overdue, kur.handover.created */
  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'enum', enum: NotificationChannel, enumName: 'notification_channel' })
  channel: NotificationChannel;

  @Index()
  @Column({ type: 'uuid' })
  associationId: string;

  @ManyToOne(() => CoordinationAssociation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'association_id' })
  association?: Relation<CoordinationAssociation>;

  /** The follow-up round or handover the announcement is about. */
  @Index()
  @Column({ type: 'uuid' })
  subjectId: string;

  /** The e-mail address or the endpoint URL. */
  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({
    type: 'enum',
    enum: NotificationStatus,
    enumName: 'notification_status',
    default: NotificationStatus.PENDING,
  })
  status: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** HTTP status, SMTP answer or error of the last attempt. */
  @Column({ type: 'text', nullable: true })
  lastOutcome: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;
}
