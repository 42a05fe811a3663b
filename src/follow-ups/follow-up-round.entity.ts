import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, VersionColumn } from 'typeorm';
import { Area } from '../areas/area.entity';
import { CoordinationAssociation } from '../associations/coordination-association.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Handover } from '../handovers/handover.entity';
import { Plan } from '../plans/plan.entity';
import { FollowUpStatus } from './follow-up.enums';

/** One report an association owes on one handed-over plan, on one date. */
@Entity('follow_up_round')
@Index(['handoverId', 'planId', 'sequence'], { unique: true })
@Index(['status', 'dueOn'])
@Index(['dueOn', 'id'])
export class FollowUpRound extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  handoverId: string;

  @ManyToOne(() => Handover, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'handover_id' })
  handover?: Relation<Handover>;

  @Index()
  @Column({ type: 'uuid' })
  associationId: string;

  @ManyToOne(() => CoordinationAssociation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'association_id' })
  association?: Relation<CoordinationAssociation>;

  @Index()
  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  @Index()
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Relation<Plan>;

  /** The plan revision the handover cited, whose goals and measures this round asks about. */
  @Column({ type: 'integer' })
  planRevision: number;

  /** 1, 2, … in date order within the handover and plan. */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'date' })
  dueOn: string;

  @Column({ type: 'enum', enum: FollowUpStatus, enumName: 'follow_up_status', default: FollowUpStatus.SCHEDULED })
  status: FollowUpStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  @VersionColumn()
  version: number;
}
