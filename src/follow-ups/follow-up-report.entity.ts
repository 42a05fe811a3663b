import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { GoalStatus } from './follow-up.enums';
import { FollowUpRound } from './follow-up-round.entity';

export interface GoalReport {
  /** Position of the goal in the cited plan revision. */
  goalIndex: number;
  currentValue: string;
  status: GoalStatus;
  comment: string | null;
}

export interface MeasureReport {
  measureIndex: number;
  done: boolean;
  comment: string | null;
}

/** What an association reported for a round. Immutable: a correction is a new report superseding it. */
@Entity('follow_up_report')
export class FollowUpReport extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  roundId: string;

  @ManyToOne(() => FollowUpRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: Relation<FollowUpRound>;

  /** The report this one corrects; both are kept. */
  @Index({ unique: true })
  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @ManyToOne(() => FollowUpReport, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id' })
  supersedes?: Relation<FollowUpReport>;

  @Column({ type: 'text' })
  submittedBy: string;

  @Column({ type: 'jsonb' })
  goals: GoalReport[];

  @Column({ type: 'jsonb' })
  measures: MeasureReport[];
}
