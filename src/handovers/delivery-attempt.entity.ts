import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Handover } from './handover.entity';

/** One push of a handover to its recipient, successful or not; numbered 1, 2, … within its delivery round. */
@Entity('delivery_attempt')
@Index(['handoverId', 'deliveryRound', 'attemptNumber'], { unique: true })
export class DeliveryAttempt extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  handoverId: string;

  @ManyToOne(() => Handover, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'handover_id' })
  handover?: Relation<Handover>;

  /** The handover's delivery round (a redelivery starts the next) this attempt belongs to. */
  @Column({ type: 'integer', default: 0 })
  deliveryRound: number;

  /** 1, 2, … within the round: counted from the recorded attempts, so nothing else uses one up. */
  @Column({ type: 'integer' })
  attemptNumber: number;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'integer', nullable: true })
  httpStatus: number | null;

  /** TIMEOUT, NETWORK, … when no HTTP status came back. */
  @Column({ type: 'text', nullable: true })
  errorClass: string | null;

  @Column({ type: 'integer' })
  latencyMs: number;

  @Column({ type: 'text', nullable: true })
  responseExcerpt: string | null;

  /** DELIVERED, RETRY or FAILED: what the attempt led to. */
  @Column({ type: 'text' })
  outcome: string;
}
